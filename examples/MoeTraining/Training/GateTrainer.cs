using System.Diagnostics;
using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.Examples.MoeTraining.Model;
using PhaseRouter.Examples.MoeTraining.Reporting;
using PhaseRouter.TorchSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>
/// Trains the classifier with one gate (Adam, cross-entropy, plus the softmax gate's auxiliary loss), recording
/// loss, accuracy, timings, loads and demand at every step, then runs the test pass.
/// </summary>
public static class GateTrainer
{
    /// <summary>Steps averaged into the final training loss.</summary>
    public const int FinalLossWindow = 50;

    /// <summary>Trains and tests <paramref name="gate"/>.</summary>
    /// <param name="gate">The gate to train.</param>
    /// <param name="settings">Sizes, seed, learning rate and epochs.</param>
    /// <param name="data">The train and test split.</param>
    /// <param name="observer">Receives progress.</param>
    /// <param name="createOptimizer">
    /// Builds the optimizer from the parameters and the learning rate (null: <see cref="ScalarSafeAdam"/>). The trainer
    /// owns and disposes it.
    /// </param>
    /// <param name="token">Cancels between steps.</param>
    public static RunResult Run(
        GateKind gate,
        ExperimentSettings settings,
        LoadedData data,
        ITrainingObserver observer,
        Func<IEnumerable<global::TorchSharp.Modules.Parameter>, double, optim.Optimizer>? createOptimizer = null,
        CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(observer);
        var clock = Stopwatch.StartNew();
        string name = GateName(gate);
        int batchSize = settings.BatchSize;
        int batchesPerEpoch = BatchOrder.BatchesPerEpoch(data.Train.Count, batchSize);
        if (batchesPerEpoch == 0)
        {
            throw new InvalidOperationException(
                $"The training set has {data.Train.Count} images, fewer than one batch of {batchSize}.");
        }

        int totalSteps = batchesPerEpoch * settings.Epochs;
        using var model = MoeModelFactory.Create(gate, settings);
        var classifier = model.Classifier;
        // ScalarSafeAdam, not optim.Adam: TorchSharp's Adam lets the collector free its scalars during native calls.
        using var optimizer = createOptimizer is null
            ? new ScalarSafeAdam(classifier.parameters(), settings.LearningRate)
            : createOptimizer(classifier.parameters(), settings.LearningRate);
        // Explicit scalars for the whole run (Tensor + Tensor would make an implicit alpha = 1; see ScalarSafeAdam).
        using var auxLossWeight = settings.AuxLossWeight.ToScalar();
        using var one = 1.ToScalar();

        // Cosine decay of the learning rate to a tenth over the run: the last steps average out batch noise.
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, totalSteps, settings.LearningRate * 0.1);
        var (mean, std) = data.Train.PixelStatistics();
        var builder = new BatchBuilder(data.Train, mean, std);
        var records = new List<StepRecord>(totalSteps);
        observer.RunStarted(name, totalSteps);

        classifier.train();
        int step = 0;
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var order = BatchOrder.Permutation(data.Train.Count, settings.Seed, epoch);
            for (int b = 0; b < batchesPerEpoch; b++)
            {
                token.ThrowIfCancellationRequested();
                step++;
                long start = Stopwatch.GetTimestamp();
                using var scope = NewDisposeScope();
                var (images, labels) = builder.Build(order, b * batchSize, batchSize);
                optimizer.zero_grad();
                var logits = classifier.forward(images);
                var loss = nn.functional.cross_entropy(logits, labels);
                var plan = model.Moe.LastPlan
                           ?? throw new InvalidOperationException("The mixture-of-experts layer produced no routing plan.");
                var objective = gate == GateKind.Softmax && settings.AuxLossWeight > 0
                    ? loss.add(plan.AuxLoss.mul(auxLossWeight), one)
                    : loss;
                objective.backward();
                optimizer.step();
                schedule.step();

                double lossValue = loss.item<float>();
                long correct = logits.argmax(1).eq(labels).sum().item<long>();
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (double.IsNaN(lossValue))
                {
                    throw new InvalidOperationException($"The {name} run diverged at step {step} (loss is NaN).");
                }

                var record = new StepRecord(
                    step,
                    epoch,
                    lossValue,
                    (double)correct / batchSize,
                    ms,
                    plan.RouterMilliseconds,
                    plan.GetExpertLoads(),
                    plan.GetExpertDemand(),
                    plan.Capacity,
                    plan.DroppedSlots,
                    plan.Tokens * plan.K);
                records.Add(record);
                observer.StepCompleted(name, record, totalSteps);
            }
        }

        observer.Evaluating(name);
        var evaluation = Evaluate(model, new BatchBuilder(data.Test, mean, std), data.Test.Count, batchSize);
        clock.Stop();

        long slots = records.Sum(r => (long)r.Slots);
        long dropped = records.Sum(r => r.DroppedSlots);
        int window = Math.Min(FinalLossWindow, records.Count);
        var result = new RunResult
        {
            Gate = name,
            Policy = gate == GateKind.Phase ? settings.Policy.ToString() : null,
            TestAccuracy = evaluation.Accuracy,
            FinalLoss = records.Skip(records.Count - window).Average(r => r.Loss),
            FinalLossWindow = window,
            MeanLoad = evaluation.MeanLoad,
            MaxLoad = evaluation.MaxLoad,
            Capacity = evaluation.Capacity,
            DroppedSlotRate = evaluation.DroppedSlotRate,
            TrainDroppedSlotRate = slots == 0 ? 0 : (double)dropped / slots,
            TrainMaxLoad = records.Max(r => r.Loads.Max()),
            RouterMsPerBatch = records.Average(r => r.RouterMilliseconds),
            StepMs = records.Average(r => r.StepMilliseconds),
            Seconds = clock.Elapsed.TotalSeconds,
            Steps = records.Count,
            TestLoadPerExpert = evaluation.MeanLoadPerExpert,
            LossCurve = records.Select(r => r.Loss).ToArray(),
            StepRecords = records,
        };
        observer.RunCompleted(result);
        return result;
    }

    /// <summary>
    /// The test pass over the <paramref name="count"/> test images in evaluation mode (routing seed fixed at the base
    /// seed), in batches of <paramref name="batchSize"/> images; loads and capacity come from the full batches.
    /// </summary>
    public static EvaluationResult Evaluate(MoeModel model, BatchBuilder test, int count, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        var classifier = model.Classifier;
        classifier.eval();
        try
        {
            using var noGrad = no_grad();
            var order = Enumerable.Range(0, count).ToArray();
            long correct = 0;
            long slots = 0;
            long dropped = 0;
            int maxLoad = 0;
            int capacity = 0;
            int fullBatches = 0;
            int allBatches = 0;
            double[]? loadSum = null;
            double[]? allLoadSum = null;
            for (int start = 0; start < count; start += batchSize)
            {
                int size = Math.Min(batchSize, count - start);
                using var scope = NewDisposeScope();
                var (images, labels) = test.Build(order, start, size);
                var logits = classifier.forward(images);
                correct += logits.argmax(1).eq(labels).sum().item<long>();
                var plan = model.Moe.LastPlan!;
                var loads = plan.GetExpertLoads();
                slots += (long)plan.Tokens * plan.K;
                dropped += plan.DroppedSlots;
                maxLoad = Math.Max(maxLoad, loads.Max());
                capacity = Math.Max(capacity, plan.Capacity);
                allBatches++;
                allLoadSum ??= new double[loads.Length];
                for (int e = 0; e < loads.Length; e++)
                {
                    allLoadSum[e] += loads[e];
                }

                if (size == batchSize)
                {
                    fullBatches++;
                    loadSum ??= new double[loads.Length];
                    for (int e = 0; e < loads.Length; e++)
                    {
                        loadSum[e] += loads[e];
                    }
                }
            }

            // Mean over the full batches; a test set smaller than one batch has only its partial one.
            var perExpert = loadSum is not null
                ? loadSum.Select(v => v / fullBatches).ToArray()
                : allLoadSum?.Select(v => v / allBatches).ToArray() ?? [];
            return new EvaluationResult(
                (double)correct / count,
                perExpert.Length == 0 ? 0 : perExpert.Average(),
                maxLoad,
                capacity,
                slots == 0 ? 0 : (double)dropped / slots,
                perExpert);
        }
        finally
        {
            classifier.train();
        }
    }

    /// <summary>The lower-case name of a gate used in reports: phase, softmax, hash.</summary>
    public static string GateName(GateKind gate) => gate.ToString().ToLowerInvariant();
}
