using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

/// <summary>
/// The state-dict layout of every gate is part of its file format: a model saved by an earlier release must load. The
/// learned gates share <see cref="LinearProjectionGate"/>, which registers the map by name, so these pin the names.
/// </summary>
public sealed class StateDictLayoutTests
{
    private const int ModelDim = 5;

    public static TheoryData<string> ProjectionGates => ["phase", "phase-bias", "softmax", "lossfree", "expert-choice", "balanced"];

    [Theory]
    [MemberData(nameof(ProjectionGates))]
    public void LearnedGates_SaveExactlyTheirMapStepAndBias_UnderTheNamesOfEarlierReleases(string name)
    {
        using var gate = Create(name);
        string[] expected = gate.HasBalanceBias
            ? ["linear.weight", MoeGate.StepBufferName, MoeGate.BalanceBiasBufferName]
            : ["linear.weight", MoeGate.StepBufferName];
        Assert.Equal(expected.Order(StringComparer.Ordinal), gate.state_dict().Keys.Order(StringComparer.Ordinal));

        // One trainable parameter, the map itself, shaped [E, modelDim].
        var parameters = gate.named_parameters().ToArray();
        Assert.Single(parameters);
        Assert.Equal("linear.weight", parameters[0].name);
        Assert.Same(((LinearProjectionGate)gate).Projection.weight, parameters[0].parameter);
        Assert.Equal([4L, ModelDim], parameters[0].parameter.shape);
    }

    [Theory]
    [MemberData(nameof(ProjectionGates))]
    public void LearnedGates_LoadTheMapTheySaved(string name)
    {
        using var saved = Create(name);
        using var loaded = Create(name);
        string path = Path.Combine(Path.GetTempPath(), $"gate-layout-{Guid.NewGuid():N}.bin");
        try
        {
            saved.save(path);
            loaded.load(path);
            Assert.True(((LinearProjectionGate)saved).Projection.weight!.eq(((LinearProjectionGate)loaded).Projection.weight!).all().item<bool>(),
                $"{name}: the loaded map differs from the saved one");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static MoeGate Create(string name)
    {
        var options = new MoeGateOptions { Experts = 4, K = 1, CapacityFactor = 1.0 };
        return name switch
        {
            "phase" => new PhaseRouterGate(ModelDim, options),
            "phase-bias" => new PhaseRouterGate(ModelDim, options with { LossFreeBalancing = true }),
            "softmax" => new TopKSoftmaxGate(ModelDim, options),
            "lossfree" => new TopKSoftmaxGate(ModelDim, options with { LossFreeBalancing = true }),
            "expert-choice" => new ExpertChoiceGate(ModelDim, options),
            "balanced" => new BalancedAssignmentGate(ModelDim, options),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown gate"),
        };
    }
}
