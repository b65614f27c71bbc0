using BenchmarkDotNet.Running;
using PhaseRouter.Benchmarks.Quick;

// `quick`: the README's speed table in under a minute. Anything else goes to BenchmarkDotNet
// (e.g. `-- --filter *OperatorBenchmarks*`).
if (args is ["quick", ..])
{
    QuickTable.Run();
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(QuickTable).Assembly).Run(args);
return 0;
