using System.ComponentModel;
using System.Globalization;

namespace PhaseRouter.ML.TorchSharp;

public sealed partial class MixtureOfExpertsMulticlassTrainer
{
    /// <summary>
    /// Options of <see cref="MixtureOfExpertsMulticlassTrainer"/>: columns, the network (input projection →
    /// <see cref="Layers"/> residual mixture-of-experts layers → linear head), the gate, and the optimisation (Adam,
    /// mini-batches, early stopping on a held-out fraction of the training rows).
    /// </summary>
    public sealed class Options
    {
        /// <summary>The label column: a key type (use <c>MapValueToKey</c>), one key value per class. Rows with a missing key are skipped. Default "Label".</summary>
        public string LabelColumnName { get; set; } = "Label";

        /// <summary>The feature column: a known-size vector of <see cref="float"/>; NaN is rejected. Default "Features".</summary>
        public string FeatureColumnName { get; set; } = "Features";

        /// <summary>The gate. Default <see cref="MoeGateKind.PhaseSpill"/>.</summary>
        public MoeGateKind Gate { get; set; } = MoeGateKind.PhaseSpill;

        /// <summary>E, experts per layer (≥ 1; 1 gives a dense feed-forward network). Default 8.</summary>
        public int Experts { get; set; } = 8;

        /// <summary>k, experts each row is dispatched to (<c>1 ≤ k ≤ E</c>). Default 1.</summary>
        public int K { get; set; } = 1;

        /// <summary>
        /// Capacity factor cf (finite, &gt; 0): in a training batch of n rows each expert takes at most
        /// <c>⌈cf · n · k / E⌉</c> rows. Default 1.25. At inference each row is routed on its own, under capacity
        /// <c>⌈cf · k / E⌉ ≥ 1</c>, so every row reaches its k best experts.
        /// </summary>
        public double CapacityFactor { get; set; } = 1.25;

        /// <summary>Width of the rows inside the network (≥ 1). Default 64.</summary>
        public int ModelDim { get; set; } = 64;

        /// <summary>Hidden width of each expert (≥ 1). Default 128.</summary>
        public int HiddenDim { get; set; } = 128;

        /// <summary>Mixture-of-experts layers, each residual with a layer norm in front (≥ 1). Default 1.</summary>
        public int Layers { get; set; } = 1;

        /// <summary>Rows per training batch (≥ 1). Default 128.</summary>
        public int BatchSize { get; set; } = 128;

        /// <summary>Most passes over the training rows (≥ 1). Default 20.</summary>
        public int MaxEpochs { get; set; } = 20;

        /// <summary>Adam's learning rate (finite, &gt; 0). Default 0.001.</summary>
        public double LearningRate { get; set; } = 1e-3;

        /// <summary>
        /// Fraction of the training rows held out to pick the best epoch and stop early, in <c>[0, 1)</c>; 0 trains
        /// <see cref="MaxEpochs"/> epochs on every row. Default 0.1.
        /// </summary>
        public double ValidationFraction { get; set; } = 0.1;

        /// <summary>Epochs without a better validation loss before training stops (≥ 1). Default 3.</summary>
        public int EarlyStoppingPatience { get; set; } = 3;

        /// <summary>Weight of the gate's auxiliary loss (the softmax gate's Switch balancing loss; the phase and hash gates have none), finite, ≥ 0. Default 0.01.</summary>
        public double AuxLossCoefficient { get; set; } = 0.01;

        /// <summary>Seed of initialisation, shuffling, the validation split and routing. Default 0.</summary>
        public int Seed { get; set; }

        /// <summary>A copy of these options.</summary>
        public Options Clone() => (Options)MemberwiseClone();

        /// <summary>Throws when an option is out of range; the exception names the option and its value.</summary>
        /// <exception cref="ArgumentException">An option is invalid.</exception>
        public void Validate()
        {
            RequireName(LabelColumnName, nameof(LabelColumnName));
            RequireName(FeatureColumnName, nameof(FeatureColumnName));
            if (!Enum.IsDefined(Gate))
            {
                throw new InvalidEnumArgumentException(nameof(Gate), (int)Gate, typeof(MoeGateKind));
            }

            RequireAtLeast(Experts, 1, nameof(Experts));
            if (K < 1 || K > Experts)
            {
                throw new ArgumentOutOfRangeException(nameof(K), K, $"K must be in [1, Experts = {Experts.ToString(CultureInfo.InvariantCulture)}].");
            }

            if (!(CapacityFactor > 0) || double.IsInfinity(CapacityFactor))
            {
                throw new ArgumentOutOfRangeException(nameof(CapacityFactor), CapacityFactor, "CapacityFactor must be a finite number greater than 0.");
            }

            RequireAtLeast(ModelDim, 1, nameof(ModelDim));
            RequireAtLeast(HiddenDim, 1, nameof(HiddenDim));
            RequireAtLeast(Layers, 1, nameof(Layers));
            RequireAtLeast(BatchSize, 1, nameof(BatchSize));
            RequireAtLeast(MaxEpochs, 1, nameof(MaxEpochs));
            RequireAtLeast(EarlyStoppingPatience, 1, nameof(EarlyStoppingPatience));
            if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            {
                throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a finite number greater than 0.");
            }

            if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must be in [0, 1).");
            }

            if (!(AuxLossCoefficient >= 0) || double.IsInfinity(AuxLossCoefficient))
            {
                throw new ArgumentOutOfRangeException(nameof(AuxLossCoefficient), AuxLossCoefficient, "AuxLossCoefficient must be a finite number, at least 0.");
            }
        }

        private static void RequireName(string value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"{name} must name a column; got '{value}'.", name);
            }
        }

        private static void RequireAtLeast(int value, int minimum, string name)
        {
            if (value < minimum)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        /// <summary>Writes every option (model file).</summary>
        internal void Write(BinaryWriter writer)
        {
            writer.Write(LabelColumnName);
            writer.Write(FeatureColumnName);
            writer.Write((int)Gate);
            writer.Write(Experts);
            writer.Write(K);
            writer.Write(CapacityFactor);
            writer.Write(ModelDim);
            writer.Write(HiddenDim);
            writer.Write(Layers);
            writer.Write(BatchSize);
            writer.Write(MaxEpochs);
            writer.Write(LearningRate);
            writer.Write(ValidationFraction);
            writer.Write(EarlyStoppingPatience);
            writer.Write(AuxLossCoefficient);
            writer.Write(Seed);
        }

        /// <summary>Reads what <see cref="Write"/> wrote, and validates it.</summary>
        internal static Options Read(BinaryReader reader)
        {
            var options = new Options
            {
                LabelColumnName = reader.ReadString(),
                FeatureColumnName = reader.ReadString(),
                Gate = (MoeGateKind)reader.ReadInt32(),
                Experts = reader.ReadInt32(),
                K = reader.ReadInt32(),
                CapacityFactor = reader.ReadDouble(),
                ModelDim = reader.ReadInt32(),
                HiddenDim = reader.ReadInt32(),
                Layers = reader.ReadInt32(),
                BatchSize = reader.ReadInt32(),
                MaxEpochs = reader.ReadInt32(),
                LearningRate = reader.ReadDouble(),
                ValidationFraction = reader.ReadDouble(),
                EarlyStoppingPatience = reader.ReadInt32(),
                AuxLossCoefficient = reader.ReadDouble(),
                Seed = reader.ReadInt32(),
            };
            options.Validate();
            return options;
        }
    }
}
