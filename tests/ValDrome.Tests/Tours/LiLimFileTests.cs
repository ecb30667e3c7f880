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
}
