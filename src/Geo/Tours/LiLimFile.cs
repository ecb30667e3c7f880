using System.Globalization;

namespace ValDrome.Geo.Tours;

/// <summary>A Li &amp; Lim benchmark instance read as a <see cref="TourProblem"/>.</summary>
/// <param name="Name">The file name without extension, e.g. <c>lc101</c>.</param>
public sealed record LiLimInstance(string Name, TourProblem Problem);

/// <summary>
/// Reads the Li &amp; Lim pickup-and-delivery format: a first line <c>vehicles capacity speed</c>,
/// then one line per node <c>id x y demand ready due service pickup delivery</c>; node 0 is the
/// depot, a pickup names its delivery and a delivery its pickup. Distances are Euclidean in double
/// precision and travel time is distance over speed. Task ids are the pickup node ids.
/// </summary>
public static class LiLimFile
{
    public static LiLimInstance Read(string path)
    {
        using var reader = File.OpenText(path);
        return Read(Path.GetFileNameWithoutExtension(path), reader);
    }

    public static LiLimInstance Read(string name, TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lines = new List<(int Number, string[] Fields)>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0)
            {
                lines.Add((number, fields));
            }
        }

        if (lines.Count < 2 || lines[0].Fields.Length < 3)
        {
            throw new FormatException($"{name}: a header 'vehicles capacity speed' and a depot line are needed.");
        }

        var vehicles = Integer(lines[0], 0, name);
        var capacity = Integer(lines[0], 1, name);
        var speed = Number(lines[0], 2, name);
        var nodes = new List<Node>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Fields.Length < 9)
            {
                throw new FormatException($"{name} line {line.Number}: 9 fields expected, {line.Fields.Length} found.");
            }

            var node = new Node(
                Integer(line, 0, name), Number(line, 1, name), Number(line, 2, name), Integer(line, 3, name),
                Integer(line, 4, name), Integer(line, 5, name), Integer(line, 6, name), Integer(line, 7, name), Integer(line, 8, name));
            if (node.Id != nodes.Count)
            {
                throw new FormatException($"{name} line {line.Number}: node {nodes.Count} expected, {node.Id} found.");
            }

            nodes.Add(node);
        }

        var depot = nodes[0];
        var tasks = new List<TransportTask>();
        foreach (var pickup in nodes.Skip(1).Where(n => n.Delivery > 0))
        {
            if (pickup.Delivery >= nodes.Count || nodes[pickup.Delivery].Pickup != pickup.Id || nodes[pickup.Delivery].Demand != -pickup.Demand)
            {
                throw new FormatException($"{name}: pickup {pickup.Id} and its delivery {pickup.Delivery} do not match.");
            }

            var delivery = nodes[pickup.Delivery];
            tasks.Add(new TransportTask(
                pickup.Id.ToString(CultureInfo.InvariantCulture),
                new TourStop(pickup.Id, new TimeWindow(pickup.Ready, pickup.Due), pickup.Service),
                new TourStop(delivery.Id, new TimeWindow(delivery.Ready, delivery.Due), delivery.Service),
                pickup.Demand));
        }

        if (tasks.Count * 2 != nodes.Count - 1)
        {
            throw new FormatException($"{name}: {nodes.Count - 1} customers but {tasks.Count} pickup-delivery pairs.");
        }

        var matrix = new EuclideanTravelMatrix([.. nodes.Select(n => (n.X, n.Y))], speed);
        var problem = new TourProblem(matrix, 0, new WorkingDay(depot.Ready, depot.Due), Vehicle.Fleet(vehicles, capacity), tasks);
        return new LiLimInstance(name, problem);
    }

    private sealed record Node(int Id, double X, double Y, int Demand, int Ready, int Due, int Service, int Pickup, int Delivery);

    private static int Integer((int Number, string[] Fields) line, int field, string name) =>
        int.TryParse(line.Fields[field], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{name} line {line.Number}: field {field + 1} « {line.Fields[field]} » is not an integer.");

    private static double Number((int Number, string[] Fields) line, int field, string name) =>
        double.TryParse(line.Fields[field], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{name} line {line.Number}: field {field + 1} « {line.Fields[field]} » is not a number.");
}
