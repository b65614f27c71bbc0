using System.CommandLine;
using System.CommandLine.Parsing;
using PhaseRouter.Evaluation.Suites;
using Spectre.Console;

namespace PhaseRouter.Evaluation.Cli;

/// <summary>
/// The command line (System.CommandLine 3): the subcommands test, pipeline, sweep, vs-hash, matrix, capacity and all,
/// with --out, --quick and --seed on every one. A bad value is a parse error and an input the library refuses is an
/// error too: either way a one-line message on stderr and exit code 1, never a stack trace.
/// </summary>
public sealed class EvaluationCommand
{
    /// <summary>The exit code of a bad command line or refused input.</summary>
    public const int UsageError = 1;

    /// <summary>The default output folder.</summary>
    public const string DefaultOutput = "results/evaluation";

    private readonly IAnsiConsole _console;
    private readonly TextWriter _error;

    private readonly Option<string> _out = new("--out")
    {
        Description = $"Folder to write results into (created if needed; default {DefaultOutput}).",
        DefaultValueFactory = _ => DefaultOutput,
        Recursive = true,
    };

    private readonly Option<bool> _quick = new("--quick")
    {
        Description = "Run at small sizes (seconds per part) instead of the original's.",
        Recursive = true,
    };

    private readonly Option<int> _seed = new("--seed")
    {
        Description = "Base seed of the inputs and the routing.",
        DefaultValueFactory = _ => 42,
        Recursive = true,
    };

    /// <summary>Builds the command tree.</summary>
    /// <param name="console">Where progress and summaries go.</param>
    /// <param name="error">Where error messages go (stderr in the program).</param>
    public EvaluationCommand(IAnsiConsole console, TextWriter error)
    {
        _console = console ?? throw new ArgumentNullException(nameof(console));
        _error = error ?? throw new ArgumentNullException(nameof(error));
        _out.AcceptLegalFilePathsOnly();
        Root = new RootCommand(
            "Reproduces the original Phase Router's evaluation suite with this library and puts our figures beside the " +
            "original's published ones (CSV, JSON, Markdown and plots under --out).");
        Root.Options.Add(_out);
        Root.Options.Add(_quick);
        Root.Options.Add(_seed);
        Root.Subcommands.Add(TestCommand());
        Root.Subcommands.Add(PipelineCommand());
        Root.Subcommands.Add(SweepCommand());
        Root.Subcommands.Add(VsHashCommand());
        Root.Subcommands.Add(MatrixCommand());
        Root.Subcommands.Add(Simple("capacity", "MoE capacity planning and measured overflow (the original's moe_routing_demo).", CapacitySuite.Run));
        Root.Subcommands.Add(Simple("all", "Every part into one folder, with an index.md linking each result.",
            context => AllSuite.Run(context, context.Quick ? SuiteSizes.Quick : SuiteSizes.Full)));
    }

    /// <summary>The root command.</summary>
    public RootCommand Root { get; }

    /// <summary>Parses and runs; returns the exit code.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where help goes (stdout when null).</param>
    public Task<int> InvokeAsync(string[] args, TextWriter? output = null)
    {
        var config = new InvocationConfiguration { Error = _error, EnableDefaultExceptionHandler = false };
        if (output is not null)
        {
            config.Output = output;
        }

        return Root.Parse(args).InvokeAsync(config);
    }

    private Command TestCommand()
    {
        var n = SizeOption("--n", "N: sources and targets (default 256).");
        var k = SizeOption("--k", "k: the fan-out bound and the largest input row degree (default 32).");
        var command = new Command("test", "One routing validated, with column, row, fill and coverage metrics (metrics.json) and the pipeline pictures.")
        {
            n, k,
        };
        SetAction(command, (context, result) =>
        {
            int nv = result.GetValue(n) ?? SuiteSizes.Full.TestN;
            return SingleTestSuite.Run(context, nv, KWithin(result.GetValue(k) ?? SuiteSizes.Full.TestK, nv, "--k"));
        });
        return command;
    }

    private Command PipelineCommand()
    {
        var n = SizeOption("--n", "N of the pictures (default 48, quick 32; at most 512).");
        var k = SizeOption("--k", "k, also the largest input row degree (default N/4).");
        var command = new Command("pipeline", "PNG pictures of each pipeline step for a small N and an animated GIF of them.") { n, k };
        SetAction(command, (context, result) =>
        {
            int nv = result.GetValue(n) ?? (context.Quick ? SuiteSizes.Quick : SuiteSizes.Full).PipelineN;
            if (nv > 512)
            {
                throw new ArgumentOutOfRangeException(nameof(n), nv, $"--n {nv} is too large for pictures; use at most 512.");
            }

            return PipelineSuite.Run(context, nv, KWithin(result.GetValue(k) ?? Math.Max(1, nv / 4), nv, "--k"));
        });
        return command;
    }

    private Command SweepCommand()
    {
        var ns = ListOption("--n-values", "N values (default 256 512 1024 2048 4096; quick 256 512 1024).");
        var ks = ListOption("--k-values", "k values (default 8 16 64 256 512; quick 8 64 256); k > N is skipped.");
        var trials = SizeOption("--trials", "Trials per configuration (default 3; quick 2).");
        var command = new Command("sweep", "Scaling sweep over N × k with trials: summary.csv, JSON, Markdown tables beside the original's, plots, reproducibility.")
        {
            ns, ks, trials,
        };
        SetAction(command, (context, result) =>
        {
            SuiteSizes sizes = context.Quick ? SuiteSizes.Quick : SuiteSizes.Full;
            return SweepSuite.Run(context, ListOr(result, ns, sizes.SweepN), ListOr(result, ks, sizes.SweepK),
                result.GetValue(trials) ?? sizes.SweepTrials);
        });
        return command;
    }

    private Command VsHashCommand()
    {
        var n = SizeOption("--n", "N (default 32000, the original's published stress size; quick 2048).");
        var ks = ListOption("--k-values", "k values of the single-phase sweep (default 16 64 256 1024 4096 12800).");
        var two = ListOption("--two-phase-k-values", "k values of the adversarial two-phase test (default as --k-values; quick 64 256).");
        var command = new Command("vs-hash", "Phase router vs hash baseline over k, and the adversarial two-phase test: CSV, JSON, Markdown, histograms, time vs k.")
        {
            n, ks, two,
        };
        SetAction(command, (context, result) =>
        {
            SuiteSizes sizes = context.Quick ? SuiteSizes.Quick : SuiteSizes.Full;
            int nv = result.GetValue(n) ?? sizes.VsHashN;
            int[] single = ListOr(result, ks, sizes.VsHashK);
            int[] twoPhase = ListOr(result, two, ListOr(result, ks, sizes.TwoPhaseK));
            foreach (int k in single.Concat(twoPhase))
            {
                KWithin(k, nv, "--k-values");
            }

            return VsHashSuite.Run(context, nv, single, twoPhase);
        });
        return command;
    }

    private Command MatrixCommand()
    {
        var n = SizeOption("--n", "N (default 1024 as the original; quick 256).");
        var k = SizeOption("--k", "k (default 64 as the original; quick 32).");
        var command = new Command("matrix", "The 10-point test matrix with a PASS/FAIL verdict per test: CSV, one Markdown per test, histograms.") { n, k };
        SetAction(command, (context, result) =>
        {
            SuiteSizes sizes = context.Quick ? SuiteSizes.Quick : SuiteSizes.Full;
            int nv = result.GetValue(n) ?? sizes.MatrixN;
            return MatrixSuite.Run(context, nv, KWithin(result.GetValue(k) ?? sizes.MatrixK, nv, "--k"));
        });
        return command;
    }

    private Command Simple(string name, string description, Func<RunContext, int> run)
    {
        var command = new Command(name, description);
        SetAction(command, (context, _) => run(context));
        return command;
    }

    private void SetAction(Command command, Func<RunContext, ParseResult, int> run) =>
        command.SetAction(result =>
        {
            try
            {
                var context = new RunContext(result.GetValue(_out) ?? DefaultOutput, result.GetValue(_quick), result.GetValue(_seed), _console);
                return run(context, result);
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
            {
                _error.WriteLine($"error: {ex.Message}");
                return UsageError;
            }
        });

    /// <summary>The list given on the command line, or <paramref name="fallback"/> when the option is absent.</summary>
    private static int[] ListOr(ParseResult result, Option<int[]?> option, IReadOnlyList<int> fallback) =>
        result.GetResult(option) is { Implicit: false } && result.GetValue(option) is { Length: > 0 } given ? given : [.. fallback];

    private static int KWithin(int k, int n, string name) =>
        k <= n ? k : throw new ArgumentOutOfRangeException(name, k, $"{name} {k} is larger than N = {n}; a source has only N targets.");

    private static Option<int?> SizeOption(string name, string description)
    {
        var option = new Option<int?>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (TryGetValue(r, out int? value) && value is int v && v < 1)
            {
                r.AddError($"{name} must be at least 1, got {v}.");
            }
        });
        return option;
    }

    private static Option<int[]?> ListOption(string name, string description)
    {
        var option = new Option<int[]?>(name) { Description = description, AllowMultipleArgumentsPerToken = true };
        option.Validators.Add(r =>
        {
            if (TryGetValue(r, out int[]? values) && values is not null)
            {
                if (values.Length == 0)
                {
                    r.AddError($"{name} needs at least one value.");
                }

                foreach (int v in values.Where(v => v < 1))
                {
                    r.AddError($"{name} values must be at least 1, got {v}.");
                }
            }
        });
        return option;
    }

    // A value that does not convert is already a parse error of its own; the range check then has nothing to say.
    private static bool TryGetValue<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }
}
