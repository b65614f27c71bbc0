using PhaseRouter.TorchSharp;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>
/// Every gate the example knows, in the order <c>--gate all</c> trains them. Adding a gate is one entry here: the
/// command line, the runner, the metrics and the reports all read this list.
/// </summary>
public static class GateCatalog
{
    /// <summary>The gates, <c>all</c>'s members first in their order, then the phase gate's fixed-policy variants.</summary>
    public static IReadOnlyList<GateDefinition> Gates { get; } =
    [
        new("phase", "Phase Router gate, spill policy by default (--policy)", (d, o, s) => new PhaseRouterGate(d, o) { MaxDegreeOfParallelism = s.Threads })
        {
            IsPhase = true,
        },
        new("phase-bias", "Phase Router spill gate selecting with a loss-free balancing bias (DeepSeek-V3's update, u = 1e-3)",
            (d, o, s) => new PhaseRouterGate(d, o with { Policy = GatePolicy.Spill, LossFreeBalancing = true }) { MaxDegreeOfParallelism = s.Threads })
        {
            IsPhase = true,
            FixedPolicy = GatePolicy.Spill,
        },
        new("softmax", "softmax top-k, overflow dropped, Switch auxiliary loss", (d, o, _) => new TopKSoftmaxGate(d, o)) { UsesAuxLoss = true },
        new("lossfree", "softmax top-k selecting with DeepSeek-V3's loss-free balancing bias (u = 1e-3), overflow dropped, no auxiliary loss",
            (d, o, _) => new TopKSoftmaxGate(d, o with { LossFreeBalancing = true })),
        new("expert-choice", "expert choice: each expert takes its top-C tokens by probability", (d, o, _) => new ExpertChoiceGate(d, o)),
        new("balanced", "balanced assignment (BASE layers): the exact max-total-logit assignment under capacity per batch",
            (d, o, _) => new BalancedAssignmentGate(d, o)),
        new("hash", "hash of the token position", (d, o, _) => new HashGate(d, o)),
        .. Enum.GetValues<GatePolicy>().Select(PhaseWithPolicy),
    ];

    /// <summary>The gates <c>--gate all</c> trains, in order.</summary>
    public static IReadOnlyList<GateDefinition> All => [.. Gates.Where(g => g.InAll)];

    /// <summary>Every name <c>--gate</c> accepts (the gates and <c>all</c>).</summary>
    public static IReadOnlyList<string> Names => ["all", .. Gates.Select(g => g.Name)];

    /// <summary>The gate called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No gate has that name.</exception>
    public static GateDefinition Get(string name) =>
        Gates.FirstOrDefault(g => g.Name == name)
        ?? throw new ArgumentException($"Unknown gate '{name}'; the gates are {string.Join(", ", Gates.Select(g => g.Name))}.", nameof(name));

    private static GateDefinition PhaseWithPolicy(GatePolicy policy) =>
        new($"phase-{policy.ToString().ToLowerInvariant()}", $"Phase Router gate, {policy} policy",
            (d, o, s) => new PhaseRouterGate(d, o) { MaxDegreeOfParallelism = s.Threads })
        {
            IsPhase = true,
            FixedPolicy = policy,
            InAll = false,
        };
}
