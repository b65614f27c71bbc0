using System.CommandLine;
using Microsoft.ML;
using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.Examples.MoeTraining.Reporting;
using PhaseRouter.Examples.MoeTraining.Training;
using Spectre.Console;

namespace PhaseRouter.Examples.MlNetMixture;

/// <summary>The command line (System.CommandLine 3): options with defaults and validators, then the comparison.</summary>
public sealed class MlNetMixtureCommand
{
    private readonly Option<string?> _dataDir = new("--data-dir")
    {
        Description = $"Fashion-MNIST IDX folder; default the installed set ({FashionMnistFiles.InstalledDirectory} or ${FashionMnistFiles.DirectoryVariable}), else the repository's slice.",
    };

    private readonly Option<int?> _trainLimit = new("--train-limit") { Description = "Keep only the first N training images." };
    private readonly Option<int?> _testLimit = new("--test-limit") { Description = "Keep only the first N test images." };
    private readonly Option<int> _epochs = new("--epochs") { Description = "Most epochs of the network trainers.", DefaultValueFactory = _ => 20 };
    private readonly Option<int> _experts = new("--experts") { Description = "Experts of the mixture.", DefaultValueFactory = _ => 8 };
    private readonly Option<int> _k = new("--k") { Description = "Experts per image (1 ≤ k ≤ E).", DefaultValueFactory = _ => 1 };

    private readonly Option<double> _capacityFactor = new("--capacity-factor")
    {
        Description = "Per-expert capacity of a training batch = ceil(factor · batch · k / E); > 0.",
        DefaultValueFactory = _ => 1.0,
    };

    private readonly Option<int> _seed = new("--seed") { Description = "Seed of every trainer.", DefaultValueFactory = _ => 0 };
    private readonly Option<string> _output = new("--output") { Description = "Folder for summary.json.", DefaultValueFactory = _ => "runs/mlnet-mixture" };

    /// <summary>Builds the command.</summary>
    public MlNetMixtureCommand()
    {
        _epochs.Validators.Add(r => RequirePositive(r, r.GetValueOrDefault<int>(), "--epochs"));
        _experts.Validators.Add(r => RequirePositive(r, r.GetValueOrDefault<int>(), "--experts"));
        _k.Validators.Add(r => RequirePositive(r, r.GetValueOrDefault<int>(), "--k"));
        _trainLimit.Validators.Add(r => RequirePositive(r, r.GetValueOrDefault<int?>() ?? 1, "--train-limit"));
        _testLimit.Validators.Add(r => RequirePositive(r, r.GetValueOrDefault<int?>() ?? 1, "--test-limit"));
        _capacityFactor.Validators.Add(r =>
        {
            double value = r.GetValueOrDefault<double>();
            if (!(value > 0) || double.IsInfinity(value))
            {
                r.AddError($"--capacity-factor must be a finite number greater than 0; got {value}.");
            }
        });
        Root = new RootCommand("Compares ML.NET's SdcaMaximumEntropy and LightGbm with a dense network and the mixture-of-experts trainer (phase and softmax gates) on Fashion-MNIST.");
        foreach (Option option in new Option[] { _dataDir, _trainLimit, _testLimit, _epochs, _experts, _k, _capacityFactor, _seed, _output })
        {
            Root.Options.Add(option);
        }

        Root.Validators.Add(r =>
        {
            if (r.GetValue(_k) > r.GetValue(_experts))
            {
                r.AddError($"--k ({r.GetValue(_k)}) must not exceed --experts ({r.GetValue(_experts)}).");
            }
        });
        Root.SetAction(result => Run(new ComparisonSettings
        {
            DataDirectory = result.GetValue(_dataDir),
            TrainLimit = result.GetValue(_trainLimit),
            TestLimit = result.GetValue(_testLimit),
            Epochs = result.GetValue(_epochs),
            Experts = result.GetValue(_experts),
            K = result.GetValue(_k),
            CapacityFactor = result.GetValue(_capacityFactor),
            Seed = result.GetValue(_seed),
            OutputDirectory = result.GetValue(_output)!,
        }));
    }

    /// <summary>The root command.</summary>
    public RootCommand Root { get; }

    /// <summary>
    /// Runs the comparison; returns the exit code: 0, 1 for missing data, 3 for an output folder that cannot be written
    /// (checked before any training), with the reason on stderr.
    /// </summary>
    public static int Run(ComparisonSettings settings)
    {
        IAnsiConsole console = AnsiConsole.Console;
        if (OutputProbe.Check(settings.OutputDirectory) is { } outputProblem)
        {
            return Fail(outputProblem, OutputError);
        }

        var ml = new MLContext(seed: settings.Seed);
        string directory = FashionData.Resolve(settings.DataDirectory);
        IDataView train;
        IDataView test;
        string description;
        try
        {
            (train, test, description) = FashionData.Load(ml, directory, settings.TrainLimit, settings.TestLimit);
        }
        catch (Exception e) when (e is FileNotFoundException or IdxFormatException)
        {
            return Fail(e.Message, DataError);
        }

        console.MarkupLine($"[bold]{Markup.Escape(description)}[/]");
        var results = new List<ContenderResult>();
        foreach (var (name, trainer) in Comparison.Contenders(settings))
        {
            console.MarkupLine($"Training [green]{Markup.Escape(name)}[/] …");
            ContenderResult result = Comparison.Run(ml, name, trainer(ml), train, test);
            console.MarkupLine($"  macro accuracy {result.MacroAccuracy:P2}, {result.TrainingSeconds:F1} s");
            results.Add(result);
        }

        ReportWriter.WriteTable(console, results);
        string path;
        try
        {
            path = ReportWriter.WriteSummary(settings.OutputDirectory, description, settings, results);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"cannot write the summary into '{settings.OutputDirectory}': {e.Message}", OutputError);
        }

        console.MarkupLine($"Summary: [blue]{Markup.Escape(path)}[/]");
        return 0;
    }

    /// <summary>Exit code when the data cannot be read.</summary>
    public const int DataError = 1;

    /// <summary>Exit code when the output folder cannot be written: the MoeTraining example's.</summary>
    public const int OutputError = ExperimentApp.OutputError;

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"error: {message}");
        return code;
    }

    private static void RequirePositive(System.CommandLine.Parsing.OptionResult result, int value, string name)
    {
        if (value < 1)
        {
            result.AddError($"{name} must be at least 1; got {value}.");
        }
    }
}
