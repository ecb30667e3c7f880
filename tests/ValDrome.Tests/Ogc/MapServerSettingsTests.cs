using ValDrome.Bench.Gis;

namespace ValDrome.Tests.Ogc;

/// <summary>The options of the bench's gis-mapserver verb (compiled in from bench/ValDrome.Bench/Gis).</summary>
public sealed class MapServerSettingsTests
{
    [Fact]
    public void No_option_is_the_issue_s_run_wrk_c8_t2_against_eight_FastCGI_processes()
    {
        var settings = MapServerSettings.Parse([]);

        Assert.Equal((10, 3, 3, 2, 8, 8), (settings.Seconds, settings.WarmUpSeconds, settings.Rounds, settings.Threads, settings.Connections, settings.Processes));
        Assert.Empty(settings.Variants);
        Assert.Null(settings.CountersDirectory);
    }

    [Fact]
    public void A_variant_is_a_label_and_the_environment_its_site_starts_with()
    {
        var settings = MapServerSettings.Parse(
            ["--seconds", "5", "--variant", "server-gc:DOTNET_gcServer=1, DOTNET_GCgen0size=0x4000000", "--variant", "twin:", "--rounds", "1"]);

        Assert.Equal((5, 1), (settings.Seconds, settings.Rounds));
        Assert.Collection(
            settings.Variants,
            v =>
            {
                Assert.Equal("server-gc", v.Label);
                Assert.Equal(new Dictionary<string, string> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCgen0size"] = "0x4000000" }, v.Environment);
            },
            v =>
            {
                Assert.Equal("twin", v.Label);
                Assert.Empty(v.Environment);
            });
    }

    [Theory]
    [InlineData("--seconds", "0")]
    [InlineData("--rounds", "-1")]
    [InlineData("--connections", "eight")]
    [InlineData("--variant", "DOTNET_gcServer=1")]
    [InlineData("--variant", "gc:DOTNET_gcServer")]
    [InlineData("--variant", "gc:DOTNET_gcServer=1,DOTNET_gcServer=0")]
    [InlineData("--variant", "ValDrome:DOTNET_gcServer=0")]
    [InlineData("--connections", "1")]
    [InlineData("--seconds", null)]
    [InlineData("--color", "red")]
    public void A_bad_option_is_refused_with_what_is_wrong(string name, string? value)
    {
        string[] args = value is null ? [name] : [name, value];

        var refusal = Assert.Throws<ArgumentException>(() => MapServerSettings.Parse(args));
        Assert.StartsWith("gis-mapserver: ", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_variants_may_not_share_a_label()
    {
        Assert.Throws<ArgumentException>(() => MapServerSettings.Parse(["--variant", "a:X=1", "--variant", "a:X=2"]));
    }
}
