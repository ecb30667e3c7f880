using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ValDrome.Tests.Support;
using ValDrome.Web.Operations;

namespace ValDrome.Tests.Operations;

/// <summary>Reads that tolerate lag go to the replica when it can serve them, to the primary otherwise, and nobody sees the difference (ADR 22).</summary>
[Collection(SharedReadOnlySeededSite.Name)]
public sealed class ReplicaReadsTests(ReadOnlySeededSite site)
{
    private static readonly string[] GisUrls =
    [
        "/ogc/collections/equipements/items?limit=5",
        "/ogc/collections/communes/items/1",
        "/ogc/collections",
        "/tiles/communes/10/527/371.pbf",
        "/tiles/equipements.json",
    ];

    private ValDromeApp WithReplica(string replica) =>
        new(site.Database, new Dictionary<string, string>
        {
            ["ConnectionStrings:ValDromeReplica"] = replica,
            ["ValDrome:Replica:CheckSeconds"] = "0.2",
        });

    [Fact]
    public async Task With_the_replica_down_the_gis_layer_answers_from_the_primary()
    {
        await using var node = WithReplica("Host=127.0.0.1;Port=1;Database=valdrome;Username=valdrome");
        using var client = node.CreateClient();
        await Task.Delay(500); // a few failed checks

        foreach (var url in GisUrls)
        {
            using var response = await client.GetAsync(url);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{url}: {(int)response.StatusCode}");
        }

        var reads = node.Services.GetRequiredService<ReplicaReads>();
        Assert.False(reads.ReplicaUsable);
        Assert.Equal(0, reads.ReplicaReadCount);
        using var ready = await client.GetAsync(Health.ReadyPath);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_the_replica_up_and_caught_up_the_gis_layer_reads_from_it()
    {
        // The primary itself stands in for a replica that has replayed everything.
        await using var node = WithReplica(site.Database.ConnectionString);
        using var client = node.CreateClient();
        var reads = node.Services.GetRequiredService<ReplicaReads>();
        for (var i = 0; i < 100 && !reads.ReplicaUsable; i++)
        {
            await Task.Delay(50);
        }

        Assert.True(reads.ReplicaUsable, "The replica never became usable.");
        foreach (var url in GisUrls)
        {
            using var response = await client.GetAsync(url);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, $"{url}: {(int)response.StatusCode}");
        }

        Assert.True(reads.ReplicaReadCount >= 3, $"{reads.ReplicaReadCount} reads on the replica");
    }
}
