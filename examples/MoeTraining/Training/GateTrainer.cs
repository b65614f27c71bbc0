using System.Diagnostics;
using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.Examples.MoeTraining.Model;
using PhaseRouter.Examples.MoeTraining.Reporting;
using PhaseRouter.TorchSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>
/// Trains the vision transformer with one gate in every MoE block (Adam, cross-entropy, plus the softmax gate's
/// auxiliary loss), recording loss, accuracy, timings and each block's routing at every step, then runs the test pass.
/// </summary>
public static class GateTrainer
{
    /// <summary>Steps averaged into the final training loss.</summary>
    public const int FinalLossWindow = 50;

    /// <summary>Trains and tests the gate called <paramref name="gate"/> (see <see cref="GateCatalog"/>).</summary>
    public static RunResult Run(
        string gate,
        ExperimentSettings settings,
        LoadedData data,
        ITrainingObserver observer,
        Func<IEnumerable<global::TorchSharp.Modules.Parameter>, double, optim.Optimizer>? createOptimizer = null,
        CancellationToken token = default) =>
        Run(GateCatalog.Get(gate), settings, data, observer, createOptimizer, token);

    /// <summary>Trains and tests <paramref name="gate"/> with the seed <see cref="ExperimentSettings.Seed"/>.</summary>
    /// <param name="gate">The gate to train (one per MoE block).</param>
    /// <param name="settings">Sizes, seed, learning rate and epochs.</param>
    /// <param name="data">The train and test split.</param>
    /// <param name="observer">Receives progress.</param>
    /// <param name="createOptimizer">
    /// Builds the optimizer from the parameters and the learning rate (null: <see cref="ScalarSafeAdam"/>). The trainer
    /// owns and disposes it.
    /// </param>
    /// <param name="token">Cancels between steps.</param>
    public static RunResult Run(
        GateDefinition gate,
        ExperimentSettings settings,
        LoadedData data,
        ITrainingObserver observer,
        Func<IEnumerable<global::TorchSharp.Modules.Parameter>, double, optim.Optimizer>? createOptimizer = null,
        CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(observer);
        var clock = Stopwatch.StartNew();
        string label = settings.Seeds.Count > 1 ? $"{gate.Name} seed {settings.Seed}" : gate.Name;
        int batchSize = settings.BatchSize;
        int batchesPerEpoch = BatchOrder.BatchesPerEpoch(data.Train.Count, batchSize, settings.TrainPerEpoch);
        if (batchesPerEpoch == 0)
        {
            throw new InvalidOperationException(
                $"The training set has {data.Train.Count} images (per epoch {settings.TrainPerEpoch?.ToString() ?? "all"}), fewer than one batch of {batchSize}.");
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
        bool addAuxLoss = gate.UsesAuxLoss && settings.AuxLossWeight > 0;

        // Cosine decay of the learning rate to a tenth over the run: the last steps average out batch noise.
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, totalSteps, settings.LearningRate * 0.1);
        var (mean, std) = data.Train.PixelStatistics();
        var builder = new BatchBuilder(data.Train, mean, std);
        var records = new List<StepRecord>(totalSteps);
        observer.RunStarted(label, totalSteps);

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
                var logits = classifier.call(images);
                var loss = nn.functional.cross_entropy(logits, labels);
                var blocks = ReadPlans(model);
                var objective = loss;
                if (addAuxLoss)
                {
                    foreach (var layer in model.MoeLayers)
                    {
                        objective = objective.add(layer.LastPlan!.AuxLoss.mul(auxLossWeight), one);
                    }
                }

                objective.backward();
                optimizer.step();
                schedule.step();

                double lossValue = loss.item<float>();
                long correct = logits.argmax(1).eq(labels).sum().item<long>();
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (double.IsNaN(lossValue))
                {
                    throw new InvalidOperationException($"The {label} run diverged at step {step} (loss is NaN).");
                }

                var record = new StepRecord(step, epoch, lossValue, (double)correct / batchSize, ms, blocks);
                records.Add(record);
                observer.StepCompleted(label, record, totalSteps);
            }
        }

        observer.Evaluating(label);
        var evaluation = Evaluate(model, new BatchBuilder(data.Test, mean, std), data.Test.Count, batchSize);
        clock.Stop();

        int window = Math.Min(FinalLossWindow, records.Count);
        var result = new RunResult
        {
            Gate = gate.Name,
            Label = label,
            Seed = settings.Seed,
            Policy = gate.IsPhase ? gate.PolicyFor(settings).ToString() : null,
            TestAccuracy = evaluation.Accuracy,
            FinalLoss = records.Skip(records.Count - window).Average(r => r.Loss),
            FinalLossWindow = window,
            MeanLoad = evaluation.MeanLoad,
            MaxLoad = evaluation.MaxLoad,
            Capacity = evaluation.Capacity,
            DroppedSlotRate = evaluation.DroppedSlotRate,
            SpilledSlotRate = evaluation.SpilledSlotRate,
            NoExpertRate = evaluation.NoExpertRate,
            MaxVioGlobal = evaluation.MaxVioGlobal,
            TrainDroppedSlotRate = Rate(records.Sum(r => r.DroppedSlots), records.Sum(r => r.Slots)),
            TrainSpilledSlotRate = Rate(records.Sum(r => r.SpilledSlots), records.Sum(r => r.Slots)),
            TrainNoExpertRate = Rate(records.Sum(r => r.TokensWithoutExpert), records.Sum(r => r.Tokens)),
            MaxVioBatch = records.Average(r => r.MaxVio),
            MaxVioBatchDemand = records.Average(r => r.DemandMaxVio),
            TrainMaxLoad = records.Max(r => r.Blocks.Select(b => b.Loads.Max()).DefaultIfEmpty(0).Max()),
            CapacityHeld = records.All(r => r.WithinCapacity) && evaluation.Blocks.All(b => b.MaxLoad <= b.Capacity),
            RouterMsPerBatch = records.Average(r => r.RouterMilliseconds),
            StepMs = records.Average(r => r.StepMilliseconds),
            Seconds = clock.Elapsed.TotalSeconds,
            Steps = records.Count,
            TestLoadPerExpert = evaluation.Blocks.Count == 0 ? [] : evaluation.Blocks[^1].MeanLoadPerExpert,
            TestBlocks = evaluation.Blocks,
            LossCurve = [.. records.Select(r => r.Loss)],
            MaxVioCurve = [.. records.Select(r => r.MaxVio)],
            StepRecords = records,
        };
        observer.RunCompleted(result);
        return result;
    }

    /// <summary>
    /// The test pass over the <paramref name="count"/> test images in evaluation mode (routing seed fixed at each
    /// gate's base seed), in batches of <paramref name="batchSize"/> images; per-expert mean loads come from the full batches.
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
            var accumulators = model.MoeBlocks.Select(b => new TestAccumulator(b)).ToArray();
            long correct = 0;
            for (int start = 0; start < count; start += batchSize)
            {
                int size = Math.Min(batchSize, count - start);
                using var scope = NewDisposeScope();
                var (images, labels) = test.Build(order, start, size);
                var logits = classifier.call(images);
                correct += logits.argmax(1).eq(labels).sum().item<long>();
                var blocks = ReadPlans(model);
                for (int i = 0; i < blocks.Length; i++)
                {
                    accumulators[i].Add(blocks[i], fullBatch: size == batchSize);
                }
            }

            return new EvaluationResult(count == 0 ? 0 : (double)correct / count, [.. accumulators.Select(a => a.Result())]);
        }
        finally
        {
            classifier.train();
        }
    }

    /// <summary>The routing of the last batch in every MoE block, read from the layers' plans.</summary>
    private static BlockRouting[] ReadPlans(MoeModel model) =>
    [
        .. model.MoeLayers.Select((layer, i) => BlockRouting.From(
            model.MoeBlocks[i],
            layer.LastPlan ?? throw new InvalidOperationException("A mixture-of-experts layer produced no routing plan."),
            layer.Gate.K)),
    ];

    private static double Rate(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}
