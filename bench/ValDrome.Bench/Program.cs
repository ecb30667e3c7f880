using ValDrome.Bench;

// Benchmarks, one verb each; none of them runs in script/test.
return args.FirstOrDefault() switch
{
    "li-lim" => LiLimBenchmark.Run(args[1..]),
    "tours-real" => await RealDaysBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: ValDrome.Bench li-lim FILE... [--seconds S] [--threads N] [--setting NAME=VALUE]...
               ValDrome.Bench tours-real [--days N] [--seconds S] [--reference-seconds S] [--vehicle truck|van] [--setting NAME=VALUE]...
        """);
    return 2;
}
