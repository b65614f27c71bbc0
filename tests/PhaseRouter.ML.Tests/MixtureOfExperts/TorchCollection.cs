namespace PhaseRouter.ML.Tests.MixtureOfExperts;

/// <summary>
/// Tests that fit the trainer run one at a time: it seeds TorchSharp's global generator, which a concurrent fit
/// would draw from too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "TorchSharp trainer";
}
