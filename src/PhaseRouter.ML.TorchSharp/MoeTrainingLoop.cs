using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Runtime;
using PhaseRouter.TorchSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace PhaseRouter.ML.TorchSharp;

/// <summary>
/// Trains a <see cref="MoeClassifierNetwork"/>: Adam on mini-batches of cross-entropy plus the gates' auxiliary loss,
/// a seeded shuffle each epoch, and early stopping on the held-out rows (the best epoch's weights are restored).
/// </summary>
internal static class MoeTrainingLoop
{
    /// <summary>Trains <paramref name="network"/> in place and returns the epoch history.</summary>
    /// <param name="network">A freshly built network (training mode is set here).</param>
    /// <param name="options">Validated options.</param>
    /// <param name="rows">The training rows.</param>
    /// <param name="channel">ML.NET's channel for progress (shown by <c>MLContext.Log</c>).</param>
    public static List<EpochRecord> Train(MoeClassifierNetwork network, MixtureOfExpertsMulticlassTrainer.Options options, TrainingRows rows,
        IChannel channel)
    {
        var random = new Random(options.Seed);
        int[] order = Enumerable.Range(0, rows.Count).ToArray();
        random.Shuffle(order);
        int validationCount = (int)Math.Floor(rows.Count * options.ValidationFraction);
        if (validationCount >= rows.Count)
        {
            validationCount = rows.Count - 1;
        }

        int[] validation = order[..validationCount];
        int[] training = order[validationCount..];
        channel.Info(MessageSensitivity.None,
            $"MixtureOfExperts: {training.Length} training rows, {validation.Length} validation rows, {rows.Width} features; " +
            $"{options.Gate} gate, E = {options.Experts}, k = {options.K}, cf = {options.CapacityFactor.ToString(CultureInfo.InvariantCulture)}, " +
            $"{options.Layers} layer(s); per-expert capacity of a full batch {GateFactory.CapacityFor(options, Math.Min(options.BatchSize, training.Length))}.");

        var history = new List<EpochRecord>();
        using var optimizer = new ScalarSafeAdam(network.parameters(), options.LearningRate);
        Dictionary<string, Tensor>? best = null;
        double bestLoss = double.PositiveInfinity;
        int sinceBest = 0;
        try
        {
            for (int epoch = 1; epoch <= options.MaxEpochs; epoch++)
            {
                long start = Stopwatch.GetTimestamp();
                random.Shuffle(training);
                (double trainLoss, long slots, long dropped) = TrainEpoch(network, optimizer, options, rows, training, epoch);
                double? validationLoss = null;
                double? validationAccuracy = null;
                if (validation.Length > 0)
                {
                    (double loss, double accuracy) = Evaluate(network, rows, validation, options.BatchSize);
                    validationLoss = loss;
                    validationAccuracy = accuracy;
                }

                var record = new EpochRecord(epoch, trainLoss, validationLoss, validationAccuracy, slots, dropped,
                    Stopwatch.GetElapsedTime(start).TotalSeconds);
                history.Add(record);
                channel.Info(MessageSensitivity.None, Describe(record, options.MaxEpochs));
                if (validationLoss is not double current)
                {
                    continue;
                }

                if (current < bestLoss)
                {
                    bestLoss = current;
                    sinceBest = 0;
                    DisposeAll(best);
                    best = Snapshot(network);
                }
                else if (++sinceBest >= options.EarlyStoppingPatience)
                {
                    channel.Info(MessageSensitivity.None,
                        $"MixtureOfExperts: stopping early after epoch {epoch}: no better validation loss for {sinceBest} epochs (best {bestLoss.ToString("F4", CultureInfo.InvariantCulture)}).");
                    break;
                }
            }

            if (best is not null)
            {
                network.load_state_dict(best);
            }
        }
        finally
        {
            DisposeAll(best);
        }

        network.eval();
        return history;
    }

    private static (double Loss, long Slots, long Dropped) TrainEpoch(MoeClassifierNetwork network, optim.Optimizer optimizer,
        MixtureOfExpertsMulticlassTrainer.Options options, TrainingRows rows, int[] training, int epoch)
    {
        network.train();
        double lossSum = 0;
        long slots = 0;
        long dropped = 0;
        int batches = 0;
        for (int at = 0; at < training.Length; at += options.BatchSize)
        {
            int size = Math.Min(options.BatchSize, training.Length - at);
            using var scope = NewDisposeScope();
            (Tensor x, Tensor y) = Batch(rows, training.AsSpan(at, size));
            optimizer.zero_grad();
            var logits = network.call(x);
            var loss = nn.functional.cross_entropy(logits, y);
            // Explicit scalars, disposed after the calls that read them (implicit ones can be finalized mid-call, see ScalarSafeAdam).
            using var auxWeight = options.AuxLossCoefficient.ToScalar();
            using var one = 1.ToScalar();
            var objective = options.AuxLossCoefficient > 0 ? loss.add(network.AuxLoss().mul(auxWeight), one) : loss;
            objective.backward();
            optimizer.step();
            double value = loss.item<float>();
            if (!double.IsFinite(value))
            {
                throw new InvalidOperationException(
                    $"MixtureOfExperts diverged in epoch {epoch} (the loss is {value.ToString(CultureInfo.InvariantCulture)}); lower LearningRate or scale the features (e.g. NormalizeMinMax).");
            }

            lossSum += value;
            batches++;
            foreach (var layer in network.MoeLayers)
            {
                var plan = layer.LastPlan!;
                slots += (long)plan.Tokens * plan.K;
                dropped += plan.DroppedSlots;
            }
        }

        return (lossSum / batches, slots, dropped);
    }

    private static (double Loss, double Accuracy) Evaluate(MoeClassifierNetwork network, TrainingRows rows, int[] indices, int batchSize)
    {
        network.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        long correct = 0;
        for (int at = 0; at < indices.Length; at += batchSize)
        {
            int size = Math.Min(batchSize, indices.Length - at);
            using var scope = NewDisposeScope();
            (Tensor x, Tensor y) = Batch(rows, indices.AsSpan(at, size));
            var logits = network.call(x);
            lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(1).eq(y).sum().item<long>();
        }

        return (lossSum / indices.Length, (double)correct / indices.Length);
    }

    private static (Tensor Features, Tensor Labels) Batch(TrainingRows rows, ReadOnlySpan<int> indices)
    {
        int width = rows.Width;
        var features = new float[indices.Length * width];
        var labels = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            rows.Features.AsSpan(indices[i] * width, width).CopyTo(features.AsSpan(i * width, width));
            labels[i] = rows.Labels[indices[i]];
        }

        return (tensor(features, [indices.Length, width]), tensor(labels));
    }

    /// <summary>A detached copy of every parameter and buffer, outside any dispose scope (the caller disposes it).</summary>
    private static Dictionary<string, Tensor> Snapshot(MoeClassifierNetwork network)
    {
        using var scope = NewDisposeScope();
        var copy = new Dictionary<string, Tensor>();
        foreach (var (name, value) in network.state_dict())
        {
            copy[name] = value.detach().clone().DetachFromDisposeScope();
        }

        return copy;
    }

    private static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        foreach (var t in tensors?.Values ?? Enumerable.Empty<Tensor>())
        {
            t.Dispose();
        }
    }

    private static string Describe(EpochRecord r, int maxEpochs)
    {
        string validation = r.ValidationLoss is double loss
            ? $", validation loss {loss.ToString("F4", CultureInfo.InvariantCulture)}, accuracy {r.ValidationAccuracy!.Value.ToString("P1", CultureInfo.InvariantCulture)}"
            : "";
        return $"MixtureOfExperts epoch {r.Epoch}/{maxEpochs}: train loss {r.TrainLoss.ToString("F4", CultureInfo.InvariantCulture)}{validation}, " +
               $"dropped slots {r.DroppedSlots} of {r.Slots} ({r.DroppedSlotRate.ToString("P2", CultureInfo.InvariantCulture)}), {r.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s.";
    }
}
