using System.Diagnostics;
using System.Globalization;
using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.Examples.MoeTraining.Training;
using TorchSharp;
using TorchSharp.Modules;

namespace PhaseRouter.Soak;

/// <summary>
/// Runs short trainings of the example (its <see cref="GateTrainer"/>, its model, its optimizer) one after another in
/// this process, cycling through every gate and two model shapes, until the time budget is spent; a training that
/// throws is recorded and the next one starts.
/// </summary>
internal static class SoakRunner
{
    /// <summary>Runs the soak and prints its report; returns the exit code (0: no failure, 1: at least one).</summary>
    public static int Run(SoakOptions options, TextWriter log)
    {
        int threads = Environment.ProcessorCount;
        torch.set_num_threads(threads);
        // Small enough that one training is a few seconds even under pressure: 20 steps of 32 images, 4 test batches.
        var data = SyntheticMixtureTask.Generate(new SyntheticMixtureOptions(TrainSamples: 640, TestSamples: 128, Seed: 7));
        Func<IEnumerable<Parameter>, double, torch.optim.Optimizer>? optimizer = options.TorchAdam
            ? (parameters, lr) => torch.optim.Adam(parameters, lr)
            : null;

        log.WriteLine(Conditions(options, threads));
        log.Flush();
        var observer = new SoakObserver(options.CollectEvery);
        var failures = new List<SoakFailure>();
        var clock = Stopwatch.StartNew();
        var budget = TimeSpan.FromSeconds(options.Seconds);
        int gen0Before = GC.CollectionCount(0);
        long allocatedBefore = GC.GetTotalAllocatedBytes();
        using var burner = options.BurnCpu ? ChildProcesses.StartBurner(options.Seconds + 60) : null;
        using var collector = options.GcThread ? new CollectorThread(options.CollectorPauseMilliseconds) : null;
        // The budget also stops a training between two steps, so a slow machine cannot stretch the soak.
        using var deadline = new CancellationTokenSource(budget);
        int trainings = 0;
        bool cut = false;
        try
        {
            while (clock.Elapsed < budget && (options.MaxTrainings == 0 || trainings < options.MaxTrainings))
            {
                var soakCase = SoakCase.Cycle[trainings % SoakCase.Cycle.Count];
                int round = trainings / SoakCase.Cycle.Count;
                long stepsBefore = observer.Steps;
                try
                {
                    GateTrainer.Run(soakCase.Gate, soakCase.Settings(round, threads), data, observer, optimizer, deadline.Token);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    cut = true;
                    break;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    var failure = new SoakFailure(trainings, soakCase.Name, observer.Steps - stepsBefore, ex);
                    failures.Add(failure);
                    log.WriteLine($"FAILED {failure}");
                    if (failures.Count == 1)
                    {
                        log.WriteLine(ex.ToString());
                    }

                    log.Flush();
                    if (options.StopOnFailure)
                    {
                        trainings++;
                        break;
                    }
                }

                trainings++;
                if (trainings % SoakCase.Cycle.Count == 0)
                {
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {clock.Elapsed.TotalSeconds,6:F1} s: {trainings} trainings, {observer.Steps} steps, {failures.Count} failed"));
                    log.Flush();
                }
            }
        }
        finally
        {
            if (burner is not null && !burner.HasExited)
            {
                burner.Kill(entireProcessTree: true);
            }
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak: {trainings} trainings{(cut ? " and part of one cut by the budget" : string.Empty)}, {observer.Steps} steps in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"{(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1e6:F0} MB allocated, " +
            $"{GC.CollectionCount(0) - gen0Before} gen-0 collections, {collector?.Collections ?? 0} forced by the collector thread; " +
            $"{failures.Count} failed"));
        foreach (var group in failures.GroupBy(f => f.Error.GetType().Name + ": " + f.Error.Message.Split('\n', 2)[0].Trim()))
        {
            log.WriteLine($"  {group.Count()} × {group.Key}");
        }

        log.WriteLine(failures.Count == 0 ? "SOAK PASSED" : "SOAK FAILED");
        return failures.Count == 0 ? 0 : 1;
    }

    private static string Conditions(SoakOptions options, int threads) =>
        $"soak conditions: {options.Seconds} s budget" +
        (options.MaxTrainings > 0 ? $", at most {options.MaxTrainings} trainings" : string.Empty) +
        $"; {ChildProcesses.Gen0SizeVariable}={Environment.GetEnvironmentVariable(ChildProcesses.Gen0SizeVariable) ?? "(default)"}" +
        $"; full collection between steps: {(options.CollectEvery > 0 ? $"every {options.CollectEvery} step(s)" : "no")}" +
        $"; collector thread: {(options.GcThread ? $"yes, {options.CollectorPauseMilliseconds} ms pause" : "no")}" +
        $"; CPU burner process: {(options.BurnCpu ? "yes" : "no")}" +
        $"; {threads} core(s); optimizer: {(options.TorchAdam ? "TorchSharp optim.Adam" : "the example's")}" +
        $"; {SoakCase.Cycle.Count} cases per round: {string.Join(", ", SoakCase.Cycle.Select(c => c.Name))}";
}
