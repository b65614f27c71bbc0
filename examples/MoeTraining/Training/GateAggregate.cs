namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>One gate over all seeds: every metric of <see cref="RunMetrics.All"/> as mean ± std.</summary>
public sealed record GateAggregate
{
    /// <summary>Gate name.</summary>
    public required string Gate { get; init; }

    /// <summary>The phase gate's policy; null for the other gates.</summary>
    public string? Policy { get; init; }

    /// <summary>The seeds, in run order.</summary>
    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>True when every run of the gate kept every expert within capacity.</summary>
    public bool CapacityHeld { get; init; }

    /// <summary>Each metric's mean, std and per-seed values, by <see cref="RunMetric.Key"/>.</summary>
    public required IReadOnlyDictionary<string, MeanStd> Metrics { get; init; }

    /// <summary>Aggregates the runs of each gate, in the order the gates first appear.</summary>
    public static IReadOnlyList<GateAggregate> Of(IReadOnlyList<RunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return
        [
            .. runs.GroupBy(r => r.Gate).Select(g =>
            {
                var gateRuns = g.ToArray();
                return new GateAggregate
                {
                    Gate = g.Key,
                    Policy = gateRuns[0].Policy,
                    Seeds = [.. gateRuns.Select(r => r.Seed)],
                    CapacityHeld = gateRuns.All(r => r.CapacityHeld),
                    Metrics = RunMetrics.All.ToDictionary(m => m.Key, m => MeanStd.Of([.. gateRuns.Select(m.Value)])),
                };
            }),
        ];
    }
}
