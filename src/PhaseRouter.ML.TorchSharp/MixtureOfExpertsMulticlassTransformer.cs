using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using PhaseRouter.TorchSharp;
using static TorchSharp.torch;

namespace PhaseRouter.ML.TorchSharp;

/// <summary>
/// A fitted mixture-of-experts classifier: adds <c>Score</c> (a vector of class probabilities) and
/// <c>PredictedLabel</c> (the most probable class, a key with the label's values) to each row. It is a row-to-row
/// mapper, so it works inside a <c>PredictionEngine</c>, and it saves into ML.NET's model file (options, class names
/// and weights) with <c>ml.Model.Save</c>.
/// </summary>
/// <remarks>
/// <para>
/// Capacity at inference: every row is routed on its own, as one batch of one row, so each expert's capacity is
/// <c>⌈cf · k / E⌉ ≥ 1</c> and the row always reaches its k best experts (by the gate's policy); no row is dropped
/// and a row's score does not depend on the other rows. <see cref="Transform(IDataView)"/> and a
/// <c>PredictionEngine</c> therefore give the same scores. Capacity binds in training only (see
/// <see cref="Monitors"/>).
/// </para>
/// <para>
/// Owns a TorchSharp network: dispose the transformer (or the model that holds it) to free the native memory now
/// rather than at finalization. Scoring takes a lock, so cursors on several threads are safe but serialized.
/// </para>
/// </remarks>
public sealed class MixtureOfExpertsMulticlassTransformer : ITransformer, IDisposable
{
    private readonly MixtureOfExpertsMulticlassTrainer.Options _options;
    private readonly MoeClassifierNetwork _network;
    private readonly Lock _scoring = new();
    private bool _disposed;

    internal MixtureOfExpertsMulticlassTransformer(MixtureOfExpertsMulticlassTrainer.Options options, int featureCount, int classCount,
        string[]? classNames, MoeClassifierNetwork network, IReadOnlyList<EpochRecord> history)
    {
        _options = options;
        _network = network;
        FeatureCount = featureCount;
        ClassCount = classCount;
        ClassNames = classNames;
        History = history;
        _network.eval();
        Monitors = network.MoeLayers.Select(layer => layer.Gate.Monitor).ToArray();
        foreach (GateLoadMonitor monitor in Monitors)
        {
            // The monitors keep the training (and validation) batches; single-row inference is not recorded.
            monitor.Enabled = false;
        }
    }

    /// <summary>A copy of the options the model was trained with.</summary>
    public MixtureOfExpertsMulticlassTrainer.Options Options => _options.Clone();

    /// <summary>The feature column the model reads.</summary>
    public string FeatureColumnName => _options.FeatureColumnName;

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Classes (slots of <c>Score</c>).</summary>
    public int ClassCount { get; }

    /// <summary>The label's key values as text (slot names of <c>Score</c>), or <see langword="null"/> when the label had none.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The epochs of training (empty for a loaded model).</summary>
    public IReadOnlyList<EpochRecord> History { get; }

    /// <summary>
    /// Each mixture-of-experts layer's gate load monitor, first layer first: per-batch loads, demand, capacity and
    /// drops of the training and validation batches (empty for a loaded model), the input of capacity planning.
    /// </summary>
    public IReadOnlyList<GateLoadMonitor> Monitors { get; }

    /// <summary>The per-expert capacity a row meets at inference, routed alone: <c>⌈cf · k / E⌉</c>.</summary>
    public int InferenceCapacity => GateFactory.CapacityFor(_options, 1);

    /// <summary>Always <see langword="true"/>: each row is scored on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus <c>Score</c> and <c>PredictedLabel</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or has the wrong type or size.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => new MoeRowMapper(this, inputSchema, nameof(inputSchema)).OutputSchema;

    /// <summary>The row-to-row mapper (used by <c>PredictionEngine</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or has the wrong type or size.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new MoeRowMapper(this, inputSchema, nameof(inputSchema));

    /// <summary>Scores <paramref name="input"/> lazily, row by row as its cursors move.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or has the wrong type or size.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MoeScoredDataView(input, new MoeRowMapper(this, input.Schema, nameof(input)));
    }

    /// <summary>Routes one row alone through the network and writes its class probabilities.</summary>
    internal void Score(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        lock (_scoring)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var x = tensor(features.ToArray(), [1, features.Length]);
            var p = _network.call(x).softmax(1).contiguous();
            p.data<float>().CopyTo(probabilities);
        }
    }

    /// <summary>Writes the options, sizes, class names and weights into ML.NET's model file.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        BinaryWriter writer = MlNetModelFormat.BeginSave(ctx, Version);
        _options.Write(writer);
        writer.Write(FeatureCount);
        writer.Write(ClassCount);
        writer.Write(ClassNames is null ? -1 : ClassNames.Count);
        foreach (string name in ClassNames ?? [])
        {
            writer.Write(name);
        }

        byte[] weights;
        lock (_scoring)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var stream = new MemoryStream();
            _network.save(stream);
            // TorchSharp closes the stream it saved to; ToArray still reads a closed MemoryStream.
            weights = stream.ToArray();
        }

        writer.Write((long)weights.Length);
        writer.Write(weights);
    }

    /// <summary>Frees the network's native memory.</summary>
    public void Dispose()
    {
        lock (_scoring)
        {
            if (!_disposed)
            {
                _disposed = true;
                _network.Dispose();
            }
        }
    }

    /// <summary>The model-file header of this transformer.</summary>
    internal static ModelVersion Version => new("PHRTMOEC", 0x00010001, 0x00010001, 0x00010001, "PhaseRouterMoeMulticlass",
        typeof(MixtureOfExpertsMulticlassTransformer).Assembly);

    /// <summary>The loader ML.NET calls for a saved entry.</summary>
    internal static MixtureOfExpertsMulticlassTransformer Create(IHostEnvironment env, object ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        BinaryReader reader = MlNetModelFormat.BeginLoad(ctx, Version);
        MixtureOfExpertsMulticlassTrainer.Options options = MixtureOfExpertsMulticlassTrainer.Options.Read(reader);
        int features = reader.ReadInt32();
        int classes = reader.ReadInt32();
        int nameCount = reader.ReadInt32();
        string[]? names = nameCount < 0 ? null : Enumerable.Range(0, nameCount).Select(_ => reader.ReadString()).ToArray();
        long length = reader.ReadInt64();
        using var weights = new MemoryStream(reader.ReadBytes(checked((int)length)));
        var network = new MoeClassifierNetwork(options, features, classes);
        try
        {
            network.load(weights);
        }
        catch
        {
            network.Dispose();
            throw;
        }

        return new MixtureOfExpertsMulticlassTransformer(options, features, classes, names, network, []);
    }

    /// <summary>The loader as a method ML.NET's catalog can call.</summary>
    internal static MethodInfo CreateMethod => typeof(MixtureOfExpertsMulticlassTransformer).GetMethod(nameof(Create),
        BindingFlags.Static | BindingFlags.NonPublic, [typeof(IHostEnvironment), typeof(object)])!;
}
