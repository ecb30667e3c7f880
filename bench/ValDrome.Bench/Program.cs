using ValDrome.Bench.Marketplace;

// One verb per benchmark; each lives in its own folder with one RunAsync(args) entry.
return args switch
{
    ["nearest", .. var rest] => await MarketplaceBenchmark.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/ValDrome.Bench -- nearest [--rebuild] [--runs N] [--radius-km R]");
    return 2;
}
