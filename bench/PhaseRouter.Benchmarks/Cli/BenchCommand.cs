using System.CommandLine;
using BenchmarkDotNet.Running;
using PhaseRouter.Benchmarks.Gate;
using PhaseRouter.Benchmarks.Quick;
using PhaseRouter.Benchmarks.Sharding;
using PhaseRouter.Benchmarks.Statistics;

namespace PhaseRouter.Benchmarks.Cli;

/// <summary>
/// The bench's command line (System.CommandLine, as in examples/MoeTraining): one subcommand per table, and
/// <c>bdn</c> for the BenchmarkDotNet classes, whose own arguments follow it. Invalid values are parse errors:
/// a message on stderr and exit code 1.
/// </summary>
public sealed class BenchCommand
{
    public BenchCommand()
    {
        Root = new RootCommand("Phase Router benchmarks: quick tables and BenchmarkDotNet classes.");
        Root.Subcommands.Add(Quick());
        Root.Subcommands.Add(GateCommand());
        Root.Subcommands.Add(StatsCommand());
        Root.Subcommands.Add(ShardsCommand());
        Root.Subcommands.Add(BenchmarkDotNetCommand());
    }

    /// <summary>The root command.</summary>
    public RootCommand Root { get; }

    /// <summary>Parses and runs; returns the exit code.</summary>
    public int Invoke(string[] args) => Root.Parse(args).Invoke();

    private static Command Quick()
    {
        var sizes = new Option<int[]>("--sizes")
        {
            Description = "Square sizes N to time (each with k = 64 and 512).",
            DefaultValueFactory = _ => [1024, 4096, 16384],
            AllowMultipleArgumentsPerToken = true,
        };
        sizes.Validators.Add(r =>
        {
            foreach (int n in r.GetValueOrDefault<int[]>() ?? [])
            {
                if (n < 64)
                {
                    r.AddError($"--sizes {n}: every size must be at least 64.");
                }
            }
        });
        var command = new Command("quick", "The README's speed table (SPEC §5 inputs), median ms per call form, in about a minute.");
        command.Options.Add(sizes);
        command.SetAction(r =>
        {
            QuickTable.Run(r.GetValue(sizes)!);
            return 0;
        });
        return command;
    }

    private static Command GateCommand()
    {
        var hidden = new Option<int>("--hidden-dim") { Description = "Experts' hidden width.", DefaultValueFactory = _ => 512 };
        var threads = new Option<int>("--router-threads")
        {
            Description = "Router MaxDegreeOfParallelism (-1 = all cores).",
            DefaultValueFactory = _ => -1,
        };
        AtLeast(hidden, 1);
        threads.Validators.Add(r =>
        {
            int value = r.GetValueOrDefault<int>();
            if (value is 0 or < -1)
            {
                r.AddError($"--router-threads {value} must be -1 or at least 1.");
            }
        });
        var gates = new Option<string[]>("--gates")
        {
            Description = $"Gates to measure (default all): {string.Join(", ", GateSetup.Kinds)}.",
            AllowMultipleArgumentsPerToken = true,
        };
        gates.Validators.Add(r =>
        {
            foreach (string kind in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!GateSetup.Kinds.Contains(kind))
                {
                    r.AddError($"--gates: unknown gate '{kind}'; the gates are {string.Join(", ", GateSetup.Kinds)}.");
                }
            }
        });
        var command = new Command("gate", "The MoE gate table (tokens=8192, E=64, k=2, modelDim=256).");
        command.Options.Add(hidden);
        command.Options.Add(threads);
        command.Options.Add(gates);
        command.SetAction(r =>
        {
            string[]? kinds = r.GetValue(gates);
            GateTable.Run(r.GetValue(hidden), routerThreads: r.GetValue(threads), kinds: kinds is { Length: > 0 } ? kinds : null);
            return 0;
        });
        return command;
    }

    private static Command StatsCommand()
    {
        var command = new Command("stats", "Capacity-bound routing (R=16384, C=64, k=2) and MonteCarlo (N=4096, k=512, 32 samples).");
        command.SetAction(_ =>
        {
            StatisticsTable.Run();
            return 0;
        });
        return command;
    }

    private static Command ShardsCommand()
    {
        var sources = new Option<long>("--sources") { Description = "R, the sources of the whole problem.", DefaultValueFactory = _ => 100_000_000 };
        var targets = new Option<int>("--targets") { Description = "C, the targets.", DefaultValueFactory = _ => 4096 };
        var k = new Option<int>("--k") { Description = "Fan-out bound.", DefaultValueFactory = _ => 4 };
        var shard = new Option<int>("--shard") { Description = "Sources per shard.", DefaultValueFactory = _ => 1_000_000 };
        var shards = new Option<int?>("--shards") { Description = "Route only the first N shards (then extrapolate); default all." };
        var method = new Option<string>("--permutation") { Description = "feistel (O(shard + C) per shard) or shuffle (O(R) per shard).", DefaultValueFactory = _ => "feistel" };
        method.AcceptOnlyFromAmong("feistel", "shuffle");
        AtLeast(targets, 1);
        AtLeast(k, 1);
        AtLeast(shard, 1);
        sources.Validators.Add(r =>
        {
            long value = r.GetValueOrDefault<long>();
            if (value < 1 || value > int.MaxValue)
            {
                r.AddError($"--sources {value} must be in [1, {int.MaxValue}].");
            }
        });
        shards.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is int value && value < 1)
            {
                r.AddError($"--shards {value} must be at least 1.");
            }
        });
        var command = new Command("shards", "Sharded routing of a large problem: time and peak memory per shard and in total.");
        foreach (Option option in new Option[] { sources, targets, k, shard, shards, method })
        {
            command.Options.Add(option);
        }

        command.SetAction(r =>
        {
            ShardTable.Run((int)r.GetValue(sources), r.GetValue(targets), r.GetValue(k), r.GetValue(shard), r.GetValue(shards),
                r.GetValue(method) == "shuffle" ? PermutationMethod.Shuffle : PermutationMethod.Feistel);
            return 0;
        });
        return command;
    }

    private static Command BenchmarkDotNetCommand()
    {
        var rest = new Argument<string[]>("arguments")
        {
            Description = "BenchmarkDotNet's own arguments, e.g. --filter '*OperatorBenchmarks*' --job short.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("bdn", "Runs the BenchmarkDotNet classes (put BenchmarkDotNet's arguments after `--`).");
        command.Arguments.Add(rest);
        command.SetAction(r =>
        {
            BenchmarkSwitcher.FromAssembly(typeof(BenchCommand).Assembly).Run(r.GetValue(rest) ?? []);
            return 0;
        });
        return command;
    }

    private static void AtLeast(Option<int> option, int minimum) => option.Validators.Add(r =>
    {
        int value = r.GetValueOrDefault<int>();
        if (value < minimum)
        {
            r.AddError($"{option.Name} {value} must be at least {minimum}.");
        }
    });
}
