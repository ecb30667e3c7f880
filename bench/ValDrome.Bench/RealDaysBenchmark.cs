using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ValDrome.Geo.Territory;
using ValDrome.Geo.Tours;

namespace ValDrome.Bench;

/// <summary>
/// Real-sized days on the Val de Drôme: seeded random days of up to 15 tasks (30 stops) between
/// the communes' label points and the depot at Eurre, geodesic distance × 1.3 at 50 km/h, mairie
/// hours 08:30–12:00 and 13:30–17:00, a lunch break. Each day is planned with a short limit and
/// with a long reference limit; one JSON line per day, then a summary line.
/// </summary>
internal static class RealDaysBenchmark
{
    private const int Hour = 3600;

    public static async Task<int> RunAsync(string[] args)
    {
        var days = 10;
        var firstDay = 1;
        var seconds = 0.7;
        var referenceSeconds = 60.0;
        var vehicle = "truck";
        var communesPath = Path.Combine(AppContext.BaseDirectory, "data", "communes.geojson");
        var options = TourPlannerOptions.ForDays; // what the site plans with
        var referenceSettings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--days":
                    days = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--first-day":
                    firstDay = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--seconds":
                    seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--reference-seconds":
                    referenceSeconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--threads":
                    options = options with { Tuning = options.Tuning with { Threads = int.Parse(args[++i], CultureInfo.InvariantCulture) } };
                    break;
                case "--vehicle":
                    vehicle = args[++i];
                    break;
                case "--setting":
                    options = Settings.Apply(options, args[++i]);
                    break;
                case "--reference-setting":
                    referenceSettings.Add(args[++i]);
                    break;
                case "--communes":
                    communesPath = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"tours-real: unknown argument « {args[i]} ».");
                    return 2;
            }
        }

        if (vehicle is not ("truck" or "van" or "site"))
        {
            Console.Error.WriteLine("tours-real: --vehicle is truck, van or site.");
            return 2;
        }

        var communes = await TerritoryFile.ReadAsync(communesPath);
        TourPlanner.WarmUp(); // as the site does when it starts
        // The reference is OR-Tools' search alone with the same settings and a long clock (the
        // exact search would only give the same plan again); --reference-setting changes that.
        var quick = new TourPlanner(options with { TimeLimit = TimeSpan.FromSeconds(seconds) });
        var referenceOptions = referenceSettings.Aggregate(options with { ExactOneVehicle = false }, Settings.Apply);
        var reference = new TourPlanner(referenceOptions with { TimeLimit = TimeSpan.FromSeconds(referenceSeconds) });
        var ratios = new List<double>();
        var slowest = 0.0;
        var allGood = true;
        for (var seed = firstDay; seed < firstDay + days; seed++)
        {
            var problem = Day(communes, seed, vehicle);
            var clock = Stopwatch.StartNew();
            var fast = quick.Plan(problem);
            var fastSeconds = clock.Elapsed.TotalSeconds;
            var slow = reference.Plan(problem);
            var feasible = TourPlanChecker.Check(problem, fast).Count == 0 && TourPlanChecker.Check(problem, slow).Count == 0;
            var served = problem.Tasks.Count - fast.Dropped.Count;
            var referenceServed = problem.Tasks.Count - slow.Dropped.Count;
            // More tasks served than the reference is better whatever the distance, fewer is a
            // miss; as many: the quick plan's distance over the shorter of the two.
            var ratio = served > referenceServed ? 1
                : served == referenceServed ? fast.Metres / Math.Min(fast.Metres, slow.Metres)
                : double.PositiveInfinity;
            ratios.Add(ratio);
            slowest = Math.Max(slowest, fastSeconds);
            allGood &= feasible && ratio <= 1.01 && fastSeconds < 1;
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["day"] = seed,
                ["vehicle"] = vehicle,
                ["tasks"] = problem.Tasks.Count,
                ["served"] = served,
                ["km"] = Math.Round(fast.Metres / 1000, 2),
                ["seconds"] = Math.Round(fastSeconds, 3),
                ["reference_served"] = referenceServed,
                ["reference_km"] = Math.Round(slow.Metres / 1000, 2),
                ["ratio"] = double.IsFinite(ratio) ? Math.Round(ratio, 4) : -1,
                ["outcome"] = fast.Outcome.ToString(),
                ["reference_outcome"] = slow.Outcome.ToString(),
                ["feasible"] = feasible,
            }));
        }

        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["summary"] = vehicle,
            ["days"] = days,
            ["worst_ratio"] = ratios.All(double.IsFinite) ? Math.Round(ratios.Max(), 4) : -1,
            ["days_within_1_percent"] = ratios.Count(r => r <= 1.01),
            ["slowest_seconds"] = Math.Round(slowest, 3),
        }));
        return allGood ? 0 : 1;
    }

    /// <summary>
    /// A seeded day: 8 to 15 tasks; a third of them start or end at the depot (machines kept at
    /// Eurre), the others go from one commune to another (straight on to the next borrower).
    /// </summary>
    public static TourProblem Day(IReadOnlyList<TerritoryCommune> communes, int seed, string vehicle)
    {
        var random = new Random(seed);
        (double, double)[] points = [(4.9912, 44.7606), .. communes.Select(c => (c.LabelPoint.X, c.LabelPoint.Y))];
        var travel = new GeodesicTravelMatrix(points, detourFactor: 1.3, kilometresPerHour: 50);
        TimeWindow[] mairie = [new((int)(8.5 * Hour), 12 * Hour), new((int)(13.5 * Hour), 17 * Hour)];
        TimeWindow[] depotHours = [new((int)(7.5 * Hour), (int)(17.5 * Hour))];
        TourStop Stop(int location) => new(location, location == 0 ? depotHours : mairie, random.Next(20, 31) * 60);

        var count = random.Next(8, 16);
        var tasks = new List<TransportTask>();
        for (var t = 0; t < count; t++)
        {
            var from = random.Next(1, points.Length);
            var to = random.Next(1, points.Length - 1);
            to = to >= from ? to + 1 : to;
            switch (random.Next(6))
            {
                case 0:
                    from = 0;
                    break;
                case 1:
                    to = 0;
                    break;
            }

            var pickup = Stop(from);
            var delivery = Stop(to);
            if (vehicle == "site")
            {
                // The site's defaults (TransportOptions): a machine takes 10 of the truck's 12 and
                // 30 minutes a stop, a small item 2 and 15 minutes.
                var machine = random.Next(3) == 0;
                var service = (machine ? 30 : 15) * 60;
                tasks.Add(new TransportTask($"J{seed}-{t + 1}", new TourStop(from, pickup.Windows, service), new TourStop(to, delivery.Windows, service), machine ? 10 : 2));
            }
            else
            {
                tasks.Add(new TransportTask($"J{seed}-{t + 1}", pickup, delivery, 1));
            }
        }

        var day = vehicle == "site"
            ? new WorkingDay(8 * Hour, (int)(17.5 * Hour), new LunchBreak(new TimeWindow((int)(11.75 * Hour), 14 * Hour), Hour))
            : new WorkingDay((int)(7.5 * Hour), (int)(17.5 * Hour), new LunchBreak(new TimeWindow((int)(11.75 * Hour), 14 * Hour), Hour));
        Vehicle[] fleet = [vehicle switch
        {
            "truck" => new Vehicle("Camion + remorque", 1),
            "van" => new Vehicle("Fourgon", 3),
            _ => new Vehicle("Camion et remorque porte-engin", 12),
        }];
        return new TourProblem(travel, 0, day, fleet, tasks);
    }
}
