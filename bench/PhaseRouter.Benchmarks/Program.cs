using BenchmarkDotNet.Running;
using PhaseRouter.Benchmarks.Quick;

// `quick`: the README's speed table in under a minute. Anything else goes to BenchmarkDotNet
// (e.g. `-- --filter *OperatorBenchmarks*`).
if (args is ["quick", ..])
{
    QuickTable.Run();
    return 0;
}

// `gate [hiddenDim]`: the MoE gate table (tokens=8192, E=64, k=2, modelDim=256).
if (args is ["gate", ..])
{
    PhaseRouter.Benchmarks.Gate.GateTable.Run(args.Length > 1 ? int.Parse(args[1]) : 512, routerThreads: args.Length > 2 ? int.Parse(args[2]) : -1);
    return 0;
}

// `stats`: capacity-bound routing (R=16384, C=64, k=2) and MonteCarlo (N=4096, k=512, 32 samples).
if (args is ["stats", ..])
{
    PhaseRouter.Benchmarks.Statistics.StatisticsTable.Run();
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(QuickTable).Assembly).Run(args);
return 0;
