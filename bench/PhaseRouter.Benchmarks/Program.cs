using PhaseRouter.Benchmarks.Cli;

// `quick`, `gate`, `stats`, `shards`: the README's tables. `bdn -- <BenchmarkDotNet arguments>`: the
// BenchmarkDotNet classes, e.g. `bdn -- --filter '*OperatorBenchmarks*'`. `--help` lists the options.
return new BenchCommand().Invoke(args);
