using System.CommandLine;

namespace PhaseRouter.Soak;

/// <summary>The command line: the soak itself, and the hidden <c>burn</c> command it starts as its CPU load.</summary>
internal static class SoakCommand
{
    /// <summary>Parses <paramref name="args"/> and runs; returns the exit code.</summary>
    public static int Invoke(string[] args)
    {
        var seconds = IntOption("--seconds", "Time budget in seconds; no training starts after it.", 100, minimum: 1);
        var trainings = IntOption("--trainings", "Stop after this many trainings (0: only the time budget).", 0, minimum: 0);
        var gen0 = new Option<string>("--gen0size")
        {
            Description = "DOTNET_GCgen0size for the soak, in hex (the program restarts itself with it); 'default' for the runtime's.",
            DefaultValueFactory = _ => "0x10000",
        };
        gen0.Validators.Add(r =>
        {
            string value = r.GetValueOrDefault<string>() ?? string.Empty;
            if (value != "default" && !IsHex(value))
            {
                r.AddError($"--gen0size must be a hex number such as 0x10000, or 'default'; got '{value}'.");
            }
        });
        var collectEvery = IntOption("--collect-every",
            "Force a full collection and run the finalizers after every this many training steps (0: never).", 5, minimum: 0);
        var noThread = new Option<bool>("--no-collector-thread") { Description = "Do not run the background thread that forces collections." };
        var pause = IntOption("--collector-pause-ms",
            "Sleep of the collector thread between two collections in milliseconds (0: it only yields).", 1, minimum: 0);
        var noBurn = new Option<bool>("--no-burn") { Description = "Do not start the process that keeps every core busy." };
        var torchAdam = new Option<bool>("--torch-adam") { Description = "Train with TorchSharp's optim.Adam (shows the upstream bug the example works around)." };
        var stop = new Option<bool>("--stop-on-failure") { Description = "Stop at the first failed training." };

        var root = new RootCommand(
            "Soak test: many short trainings of every gate in one process under garbage-collection pressure. Exit code 0: no training failed.")
        {
            seconds, trainings, gen0, collectEvery, noThread, pause, noBurn, torchAdam, stop,
        };
        root.SetAction(result =>
        {
            string gen0Size = result.GetValue(gen0) is "default" or null ? string.Empty : result.GetValue(gen0)!;
            if (!ChildProcesses.HasGen0Size(gen0Size))
            {
                return ChildProcesses.RerunWithGen0Size(gen0Size, args);
            }

            var options = new SoakOptions(
                result.GetValue(seconds),
                result.GetValue(trainings),
                gen0Size,
                result.GetValue(collectEvery),
                !result.GetValue(noThread),
                result.GetValue(pause),
                !result.GetValue(noBurn),
                result.GetValue(torchAdam),
                result.GetValue(stop));
            return SoakRunner.Run(options, Console.Out);
        });

        var burnSeconds = new Option<int>("--seconds") { DefaultValueFactory = _ => 60 };
        var burn = new Command("burn", "Keeps every core busy (started by the soak).") { Hidden = true };
        burn.Options.Add(burnSeconds);
        burn.SetAction(result =>
        {
            ChildProcesses.Burn(result.GetValue(burnSeconds));
            return 0;
        });
        root.Subcommands.Add(burn);
        return root.Parse(args).Invoke();
    }

    private static Option<int> IntOption(string name, string description, int defaultValue, int minimum)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            int value = r.GetValueOrDefault<int>();
            if (value < minimum)
            {
                r.AddError($"{name} must be at least {minimum}; got {value}.");
            }
        });
        return option;
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static bool IsHex(string value) =>
        value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && value.Length > 2 &&
        value.AsSpan(2).ContainsAnyExcept(HexDigits) is false;
}
