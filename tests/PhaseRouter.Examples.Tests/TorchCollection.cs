namespace PhaseRouter.Examples.Tests;

/// <summary>Tests that use TorchSharp run one at a time: its seed and thread settings are process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}
