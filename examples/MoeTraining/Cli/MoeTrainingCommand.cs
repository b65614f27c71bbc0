using System.CommandLine;
using System.CommandLine.Parsing;
using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.Examples.MoeTraining.Training;
using PhaseRouter.TorchSharp;

namespace PhaseRouter.Examples.MoeTraining.Cli;

/// <summary>
/// The command line of the example (System.CommandLine 3): options, defaults, validators and the mapping
/// to <see cref="ExperimentSettings"/>. Invalid values are parse errors: a clear message and exit code 1.
/// </summary>
public sealed class MoeTrainingCommand
{
    private static readonly string[] PolicyNames = ["spill", "menu", "oblivious", "packed"];
    private static readonly string[] DatasetNames = ["auto", "fashion-mnist", "synthetic"];

    private readonly Option<string> _gate = new("--gate")
    {
        Description = "Gates to train, a comma list of " + string.Join(", ", GateCatalog.Names) + " (all = " +
            string.Join(", ", GateCatalog.All.Select(g => g.Name)) + "); for each seed every gate starts from the same weights and " +
            "data order. phase-<policy> is the phase gate with that policy.",
        DefaultValueFactory = _ => "all",
    };

    private readonly Option<string> _seeds = new("--seeds", "--seed")
    {
        Description = "Seeds, a comma list (e.g. 42,1,2): every gate runs with each; the comparison reports mean ± std over them.",
        DefaultValueFactory = _ => "42",
    };

    private readonly Option<string> _policy = new("--policy")
    {
        Description = "Phase gate policy: spill (overflow goes to residual capacity), menu, oblivious or packed (affinities packed into S and T per batch).",
        DefaultValueFactory = _ => "spill",
    };

    private readonly Option<int> _epochs = new("--epochs")
    {
        Description = "Passes over the training set.",
        DefaultValueFactory = _ => 2,
    };

    private readonly Option<int> _experts = new("--experts")
    {
        Description = "Number of experts E.",
        DefaultValueFactory = _ => 8,
    };

    private readonly Option<int> _k = new("--k")
    {
        Description = "Experts per token (1 ≤ k ≤ E).",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<double> _capacityFactor = new("--capacity-factor")
    {
        Description = "Capacity per expert = ceil(factor · tokens · k / E); > 0.",
        DefaultValueFactory = _ => 1.0,
    };

    private readonly Option<int?> _menuSize = new("--menu-size")
    {
        Description = "Menu size m of the menu policy (k ≤ m ≤ E); default min(4, E), at least k.",
    };

    private readonly Option<int> _batchSize = new("--batch-size")
    {
        Description = "Images per batch; each MoE block routes batch · tokens-per-image tokens together (16 per image with 7×7 patches).",
        DefaultValueFactory = _ => 128,
    };

    private readonly Option<int> _threads = new("--threads")
    {
        Description = "Threads for torch (torch.set_num_threads) and the router's MaxDegreeOfParallelism. Default 1: libtorch's " +
            "threads spin-wait for each other, and on a busy machine two ran several times slower than one; raise it on a quiet machine.",
        DefaultValueFactory = _ => new ExperimentSettings().Threads,
    };

    private readonly Option<string> _out = new("--out")
    {
        Description = "Output directory for summary.json, summary.md and the PNG plots.",
        DefaultValueFactory = _ => "results",
    };

    private readonly Option<string?> _dataDir = new("--data-dir")
    {
        Description = $"Directory of the Fashion-MNIST IDX files (.gz or plain); default ${FashionMnistFiles.DirectoryVariable} when set, else {FashionMnistFiles.InstalledDirectory}.",
    };

    private readonly Option<string> _dataset = new("--dataset")
    {
        Description = "auto (Fashion-MNIST when installed, else synthetic), fashion-mnist or synthetic.",
        DefaultValueFactory = _ => "auto",
    };

    private readonly Option<int?> _trainSamples = new("--train-samples")
    {
        Description = "Use only the first N training images (default: all of Fashion-MNIST, 30000 synthetic).",
    };

    private readonly Option<int?> _testSamples = new("--test-samples")
    {
        Description = "Use only the first N test images (default: all of Fashion-MNIST, 5000 synthetic).",
    };

    private readonly Option<int?> _trainPerEpoch = new("--train-per-epoch")
    {
        Description = "Training images per epoch, the first of each epoch's own shuffle (a different subset each epoch); " +
            "60000 or more = the whole Fashion-MNIST training set.",
        DefaultValueFactory = _ => ExperimentSettings.DefaultTrainPerEpoch,
    };

    private readonly Option<int> _depth = new("--depth")
    {
        Description = "Transformer blocks.",
        DefaultValueFactory = _ => new ExperimentSettings().Depth,
    };

    private readonly Option<int> _heads = new("--heads")
    {
        Description = "Attention heads per block (must divide --model-dim).",
        DefaultValueFactory = _ => new ExperimentSettings().Heads,
    };

    private readonly Option<int> _moeEvery = new("--moe-every")
    {
        Description = "Every n-th block has a mixture-of-experts feed-forward (2: blocks 2, 4, … as in V-MoE); the others a dense MLP.",
        DefaultValueFactory = _ => new ExperimentSettings().MoeEvery,
    };

    private readonly Option<int> _patchSize = new("--patch-size")
    {
        Description = "Patch side in pixels, a divisor of 28 (7: 16 tokens per image; 4: 49).",
        DefaultValueFactory = _ => new ExperimentSettings().PatchSize,
    };

    private readonly Option<int> _modelDim = new("--model-dim")
    {
        Description = "Token width of the model.",
        DefaultValueFactory = _ => new ExperimentSettings().ModelDim,
    };

    private readonly Option<int> _hiddenDim = new("--hidden-dim")
    {
        Description = "Hidden width of each expert.",
        DefaultValueFactory = _ => new ExperimentSettings().HiddenDim,
    };

    private readonly Option<double> _learningRate = new("--learning-rate")
    {
        Description = "Adam learning rate.",
        DefaultValueFactory = _ => new ExperimentSettings().LearningRate,
    };

    /// <summary>Builds the command; <paramref name="run"/> is called with the validated settings.</summary>
    public MoeTrainingCommand(Func<ExperimentSettings, CancellationToken, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        _policy.AcceptOnlyFromAmong(PolicyNames);
        _dataset.AcceptOnlyFromAmong(DatasetNames);
        _out.AcceptLegalFilePathsOnly();
        AtLeast(_epochs, 1);
        AtLeast(_experts, 1);
        AtLeast(_k, 1);
        AtLeast(_batchSize, 1);
        AtLeast(_threads, 1);
        AtLeast(_modelDim, 1);
        AtLeast(_hiddenDim, 1);
        AtLeast(_depth, 1);
        AtLeast(_heads, 1);
        AtLeast(_moeEvery, 1);
        AtLeast(_patchSize, 1);
        AtLeastOptional(_trainPerEpoch, 1);
        AtLeastOptional(_menuSize, 1);
        AtLeastOptional(_trainSamples, 1);
        AtLeastOptional(_testSamples, 1);
        Positive(_capacityFactor);
        Positive(_learningRate);
        AddCombinationValidators();

        Root = new RootCommand(
            "Trains a small V-MoE-style vision transformer (mixture-of-experts feed-forward in every --moe-every-th block) on " +
            "Fashion-MNIST (or a synthetic mixture task) with each gate and seed, and compares accuracy, drops, balance (MaxVio), " +
            "capacity and time.");
        foreach (var option in new Option[]
                 {
                     _gate, _seeds, _policy, _epochs, _experts, _k, _capacityFactor, _menuSize, _batchSize, _threads,
                     _out, _dataDir, _dataset, _trainSamples, _testSamples, _trainPerEpoch, _depth, _heads, _moeEvery, _patchSize,
                     _modelDim, _hiddenDim, _learningRate,
                 })
        {
            Root.Options.Add(option);
        }

        Root.SetAction((result, token) => run(ToSettings(result), token));
    }

    /// <summary>The root command.</summary>
    public RootCommand Root { get; }

    /// <summary>Parses <paramref name="args"/> and runs the action; returns the exit code (1 on a parse error).</summary>
    public Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken token = default)
    {
        var config = new InvocationConfiguration();
        if (output is not null)
        {
            config.Output = output;
        }

        if (error is not null)
        {
            config.Error = error;
        }

        return Root.Parse(args).InvokeAsync(config, token);
    }

    /// <summary>Maps a successful parse to settings.</summary>
    public ExperimentSettings ToSettings(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int experts = result.GetValue(_experts);
        int k = result.GetValue(_k);
        var gates = GateList(result.GetValue(_gate) ?? "all");
        var seeds = SeedList(result.GetValue(_seeds) ?? "42");
        // A lone phase-<policy> is the phase gate with that policy, also for the runs of "phase" (as before lists).
        string? gatePolicy = gates.Count == 1 && gates[0].StartsWith("phase-", StringComparison.Ordinal) ? gates[0]["phase-".Length..] : null;
        return new ExperimentSettings
        {
            Gates = gates,
            Seeds = seeds,
            Seed = seeds[0],
            Policy = Enum.Parse<GatePolicy>(gatePolicy ?? result.GetValue(_policy) ?? "spill", ignoreCase: true),
            Epochs = result.GetValue(_epochs),
            Experts = experts,
            K = k,
            CapacityFactor = result.GetValue(_capacityFactor),
            MenuSize = result.GetValue(_menuSize) ?? DefaultMenuSize(k, experts),
            BatchSize = result.GetValue(_batchSize),
            Threads = result.GetValue(_threads),
            OutputDirectory = result.GetValue(_out) ?? "results",
            DataDirectory = result.GetValue(_dataDir),
            Dataset = (result.GetValue(_dataset) ?? "auto") switch
            {
                "fashion-mnist" => DatasetKind.FashionMnist,
                "synthetic" => DatasetKind.Synthetic,
                _ => DatasetKind.Auto,
            },
            TrainSamples = result.GetValue(_trainSamples),
            TestSamples = result.GetValue(_testSamples),
            TrainPerEpoch = result.GetValue(_trainPerEpoch),
            Depth = result.GetValue(_depth),
            Heads = result.GetValue(_heads),
            MoeEvery = result.GetValue(_moeEvery),
            PatchSize = result.GetValue(_patchSize),
            ModelDim = result.GetValue(_modelDim),
            HiddenDim = result.GetValue(_hiddenDim),
            LearningRate = result.GetValue(_learningRate),
        };
    }

    /// <summary>
    /// The gates of a <c>--gate</c> value: comma-separated names of <see cref="GateCatalog"/>, <c>all</c> expanded, each
    /// gate once in the order first named.
    /// </summary>
    /// <exception cref="ArgumentException">A name is unknown or the list is empty.</exception>
    public static IReadOnlyList<string> GateList(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw new ArgumentException("--gate names no gate.", nameof(value));
        }

        var gates = new List<string>();
        foreach (var name in names)
        {
            if (!GateCatalog.Names.Contains(name))
            {
                throw new ArgumentException(
                    $"--gate: unknown gate '{name}'; choose from {string.Join(", ", GateCatalog.Names)}.", nameof(value));
            }

            gates.AddRange(name == "all" ? GateCatalog.All.Select(g => g.Name) : [name]);
        }

        return [.. gates.Distinct()];
    }

    /// <summary>The seeds of a <c>--seeds</c> value: comma-separated integers, each once.</summary>
    /// <exception cref="ArgumentException">An entry is not an integer, one repeats, or the list is empty.</exception>
    public static IReadOnlyList<int> SeedList(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException("--seeds names no seed.", nameof(value));
        }

        var seeds = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int seed))
            {
                throw new ArgumentException($"--seeds: '{part}' is not an integer seed.", nameof(value));
            }

            if (seeds.Contains(seed))
            {
                throw new ArgumentException($"--seeds: seed {seed} is given twice.", nameof(value));
            }

            seeds.Add(seed);
        }

        return seeds;
    }

    /// <summary>The default menu size: <c>min(4, E)</c>, at least k.</summary>
    public static int DefaultMenuSize(int k, int experts) => Math.Max(k, Math.Min(4, experts));

    // Checks across options live on the options themselves: System.CommandLine runs a command validator before the
    // option validators and stops at its first error, so a command-level check would hide the other messages.
    private void AddCombinationValidators()
    {
        _gate.Validators.Add(r =>
        {
            if (!TryGetValue(r, out string? value) || value is null)
            {
                return;
            }

            IReadOnlyList<string> gates;
            try
            {
                gates = GateList(value);
            }
            catch (ArgumentException ex)
            {
                r.AddError(ex.Message.Split(" (Parameter", 2)[0]);
                return;
            }

            if (r.GetResult(_policy) is { Implicit: false } given && TryGetValue(given, out string? policy) && policy is not null)
            {
                foreach (var gate in gates.Where(g => g.StartsWith("phase-", StringComparison.Ordinal) && g["phase-".Length..] != policy))
                {
                    r.AddError($"--gate {gate} names the policy {gate["phase-".Length..]} but --policy is {policy}; give one of them.");
                }
            }
        });
        _seeds.Validators.Add(r =>
        {
            if (TryGetValue(r, out string? value) && value is not null)
            {
                try
                {
                    SeedList(value);
                }
                catch (ArgumentException ex)
                {
                    r.AddError(ex.Message.Split(" (Parameter", 2)[0]);
                }
            }
        });
        _heads.Validators.Add(r =>
        {
            if (TryGetValue(r, out int heads) && TryValueOf(r, _modelDim, out int dim) && heads >= 1 && dim >= 1 && dim % heads != 0)
            {
                r.AddError($"--heads {heads} does not divide --model-dim {dim}.");
            }
        });
        _moeEvery.Validators.Add(r =>
        {
            if (TryGetValue(r, out int every) && TryValueOf(r, _depth, out int depth) && every >= 1 && depth >= 1 && every > depth)
            {
                r.AddError($"--moe-every {every} is larger than --depth {depth}; the model would have no MoE block.");
            }
        });
        _patchSize.Validators.Add(r =>
        {
            if (TryGetValue(r, out int patch) && patch >= 1 && 28 % patch != 0)
            {
                r.AddError($"--patch-size {patch} does not divide the image side 28.");
            }
        });
        _k.Validators.Add(r =>
        {
            if (TryGetValue(r, out int k) && TryValueOf(r, _experts, out int experts) && experts >= 1 && k > experts)
            {
                r.AddError($"--k {k} is larger than --experts {experts}; a token cannot use more experts than there are.");
            }
        });
        _menuSize.Validators.Add(r =>
        {
            if (TryGetValue(r, out int? value) && value is int m
                && TryValueOf(r, _k, out int k) && TryValueOf(r, _experts, out int experts)
                && m >= 1 && (m < k || m > experts))
            {
                r.AddError($"--menu-size {m} must lie between --k ({k}) and --experts ({experts}).");
            }
        });
        _dataDir.Validators.Add(r =>
        {
            if (TryGetValue(r, out string? dir) && dir is not null && !Directory.Exists(dir))
            {
                r.AddError($"--data-dir {dir} does not exist.");
            }
        });
    }

    // The value given on the command line, else the option's default (a validator sees no implicit value).
    private static bool TryValueOf<T>(SymbolResult result, Option<T> option, out T value)
    {
        if (result.GetResult(option) is { Implicit: false } given)
        {
            return TryGetValue(given, out value);
        }

        value = option.HasDefaultValue ? (T)option.GetDefaultValue()! : default!;
        return true;
    }

    private static void AtLeast(Option<int> option, int min) =>
        option.Validators.Add(r =>
        {
            if (TryGetValue(r, out int v) && v < min)
            {
                r.AddError($"{option.Name} must be at least {min}, got {v}.");
            }
        });

    private static void AtLeastOptional(Option<int?> option, int min) =>
        option.Validators.Add(r =>
        {
            if (TryGetValue(r, out int? value) && value is int v && v < min)
            {
                r.AddError($"{option.Name} must be at least {min}, got {v}.");
            }
        });

    private static void Positive(Option<double> option) =>
        option.Validators.Add(r =>
        {
            if (TryGetValue(r, out double v) && (!(v > 0) || double.IsInfinity(v)))
            {
                r.AddError($"{option.Name} must be a positive finite number, got {v}.");
            }
        });

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
