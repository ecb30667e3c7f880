using ValDrome.Geo.Tours.Benchmarks;

namespace ValDrome.Tests.Tours;

public sealed class LiLimFileTests
{
    [Fact]
    public void Lc101_is_read_with_its_fleet_day_and_53_tasks()
    {
        var instance = LiLimFile.Read(Make.LiLimPath("lc101"));
        var problem = instance.Problem;

        Assert.Equal("lc101", instance.Name);
        Assert.Equal(25, problem.Vehicles.Count);
        Assert.All(problem.Vehicles, v => Assert.Equal(200, v.Capacity));
        Assert.Equal(107, problem.Travel.Count);
        Assert.Equal(0, problem.Depot);
        Assert.Equal((0, 1236), (problem.Day.Start, problem.Day.End));
        Assert.Equal(53, problem.Tasks.Count);

        // "3 42 66 10 65 146 90 0 75": node 3 is a pickup of 10 delivered at node 75.
        var task = Assert.Single(problem.Tasks, t => t.Id == "3");
        Assert.Equal(10, task.Load);
        Assert.Equal((3, 75), (task.Pickup.Location, task.Delivery.Location));
        Assert.Equal((65, 146, 90), (task.Pickup.Earliest, task.Pickup.Latest, task.Pickup.ServiceSeconds));
        // Euclidean, double precision, time = distance at speed 1: depot (40, 50) to node 3 (42, 66).
        Assert.Equal(Math.Sqrt(4 + 256), problem.Travel.Metres(0, 3), 12);
        Assert.Equal(problem.Travel.Metres(0, 3), problem.Travel.Seconds(0, 3), 12);
    }

    [Fact]
    public void A_pickup_whose_delivery_does_not_point_back_is_refused()
    {
        const string text = "2 10 1\n0 0 0 0 0 100 0 0 0\n1 1 1 5 0 100 0 0 2\n2 2 2 -5 0 100 0 3 0\n";

        var error = Assert.Throws<FormatException>(() => LiLimFile.Read("bad", new StringReader(text)));

        Assert.Contains("pickup 1 and its delivery 2 do not match", error.Message);
    }

    [Fact]
    public void Every_file_of_the_100_task_set_is_read()
    {
        var folder = Make.LiLimSetFolder();
        var files = Directory.GetFiles(folder, "*.txt");

        Assert.Equal(56, files.Length);
        foreach (var file in files)
        {
            var instance = LiLimFile.Read(file);
            var problem = instance.Problem;
            Assert.Equal(Path.GetFileNameWithoutExtension(file), instance.Name);
            Assert.InRange(problem.Tasks.Count, 50, 55);
            Assert.Equal(problem.Travel.Count - 1, 2 * problem.Tasks.Count);
            // Travel time equals distance in the whole set, whatever speed its header gives.
            Assert.Equal(problem.Travel.Metres(0, 1), problem.Travel.Seconds(0, 1), 12);
        }
    }

    [Fact]
    public void A_header_speed_of_zero_is_read_as_travel_time_equal_to_distance()
    {
        // lc104's header is "25 200 0": the benchmark ignores the speed field.
        var instance = LiLimFile.Read(Path.Combine(Make.LiLimSetFolder(), "lc104.txt"));
        const string text = "1 10 0\n0 0 0 0 0 1000 0 0 0\n1 3 4 5 0 1000 10 0 2\n2 6 8 -5 0 1000 10 1 0\n";

        var small = LiLimFile.Read("zero", new StringReader(text)).Problem;

        Assert.Equal(25, instance.Problem.Vehicles.Count);
        Assert.Equal(5, small.Travel.Metres(0, 1), 12);
        Assert.Equal(5, small.Travel.Seconds(0, 1), 12);
        Assert.Equal(5, small.Travel.Seconds(1, 2), 12);
    }

    [Theory]
    [InlineData("2 ten 1\n0 0 0 0 0 100 0 0 0\n", "bad.txt line 1, field 2 (capacity)")]
    [InlineData("2 10\n0 0 0 0 0 100 0 0 0\n", "bad.txt line 1: 3 fields")]
    [InlineData("2 10 1\n\n0 0 0 0 0 100 0 0 0\n1 1 1 5 0 100 0 0\n", "bad.txt line 4: 9 fields")]
    [InlineData("2 10 1\n0 0 0 0 0 100 0 0 0\n1 x 1 5 0 100 0 0 2\n2 2 2 -5 0 100 0 1 0\n", "bad.txt line 3, field 2 (x)")]
    [InlineData("2 10 1\n0 0 0 0 0 100 0 0 0\n1 1 1 5 50 40 0 0 2\n2 2 2 -5 0 100 0 1 0\n", "bad.txt line 3, field 6 (due)")]
    [InlineData("2 10 1\n0 0 0 0 0 100 0 0 0\n1 1 1 5 0 100 0 0 2\n2 2 2 -5 0 100 0 3 0\n", "bad.txt line 3, field 9 (delivery)")]
    [InlineData("2 10 1\n0 0 0 0 0 100 0 0 0\n1 1 1 5 0 100 0 0 0\n", "bad.txt line 3, field 8 (pickup)")]
    [InlineData("2 10 1\n", "bad.txt line 2: a depot line")]
    public void A_file_that_cannot_be_read_gives_one_line_naming_the_file_line_and_field(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => LiLimFile.Read("bad", new StringReader(text), "bad.txt"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
