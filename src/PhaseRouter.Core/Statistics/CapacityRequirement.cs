namespace PhaseRouter.Statistics;

/// <summary>The smallest uniform capacity that keeps the dropped share of slots within a target, from recorded loads.</summary>
/// <param name="TargetDropRate">The largest acceptable share of slots dropped, in <c>[0, 1)</c>.</param>
/// <param name="Capacity">The smallest per-expert capacity c whose dropped share is at most the target.</param>
/// <param name="CapacityFactor">
/// <c>c·E/(tokens·k)</c>: the capacity factor cf whose capacity <c>⌈cf·tokens·k/E⌉</c> is exactly c.
/// </param>
/// <param name="DropRate">The share of slots that capacity c drops on the recorded loads (at most the target).</param>
public sealed record CapacityRequirement(double TargetDropRate, long Capacity, double CapacityFactor, double DropRate);
