namespace PhaseRouter.Statistics;

/// <content>Input warnings.</content>
public static partial class RoutingStatistics
{
    /// <summary>
    /// Warnings about legal but doubtful routing inputs: empty rows, no candidates at all, degrees without structure,
    /// k beyond what candidates can reach, capacities below the slots, and too few samples for a confidence.
    /// </summary>
    /// <param name="sourceDegrees">s, length R, each in <c>[0, C]</c>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="samples">The number of seeds a statistic will use, or null to skip that check.</param>
    /// <param name="confidence">The confidence p a capacity estimate will use, in <c>(0, 1)</c>, or null.</param>
    /// <param name="options">Options, for <see cref="RouterOptions.TargetCapacities"/>; or null.</param>
    /// <returns>The warnings, empty when there is nothing to say.</returns>
    /// <exception cref="ArgumentException">An input is invalid outright (a degree out of range, k below 1, …).</exception>
    public static IReadOnlyList<RoutingWarning> ValidateRoutingInputs(ReadOnlySpan<int> sourceDegrees,
        ReadOnlySpan<int> targetDegrees, int k, int? samples = null, double? confidence = null,
        RouterOptions? options = null)
    {
        int[] s = ArgumentChecks.Degrees(sourceDegrees, targetDegrees.Length, nameof(sourceDegrees));
        int[] t = ArgumentChecks.Degrees(targetDegrees, sourceDegrees.Length, nameof(targetDegrees));
        ArgumentChecks.K(k);
        if (samples is { } n)
        {
            StatisticsChecks.Samples(n, nameof(samples));
        }

        if (confidence is { } p)
        {
            StatisticsChecks.Confidence(p, nameof(confidence));
        }

        int rows = s.Length;
        int columns = t.Length;
        var warnings = new List<RoutingWarning>();
        int emptySources = s.Count(d => d == 0);
        int emptyTargets = t.Count(d => d == 0);
        bool noCandidates = emptySources == rows || emptyTargets == columns;
        if (noCandidates)
        {
            warnings.Add(new RoutingWarning(RoutingWarningCode.NoCandidates,
                $"All {(emptySources == rows ? $"{rows} source" : $"{columns} target")} degrees are 0: no source has a " +
                "candidate, and every slot stays -1."));
        }
        else
        {
            if (emptySources > 0)
            {
                warnings.Add(new RoutingWarning(RoutingWarningCode.EmptySourceRows,
                    $"{emptySources} of {rows} sources have degree 0 (first: source {Array.IndexOf(s, 0)}) and never get a route."));
            }

            if (emptyTargets > 0)
            {
                warnings.Add(new RoutingWarning(RoutingWarningCode.EmptyTargetRows,
                    $"{emptyTargets} of {columns} targets have degree 0 (first: target {Array.IndexOf(t, 0)}) and never receive load."));
            }
        }

        if (rows > 0 && columns > 0 && s.All(d => d == columns) && t.All(d => d == rows))
        {
            warnings.Add(new RoutingWarning(RoutingWarningCode.AllDegreesFull,
                $"Every source degree is C = {columns} and every target degree is R = {rows}: every target is every " +
                $"source's candidate, and routing reduces to choosing k = {k} of {columns} targets per source."));
        }

        int maxCandidates = MaxCandidates(rows, t);
        if (!noCandidates && k > maxCandidates)
        {
            warnings.Add(new RoutingWarning(RoutingWarningCode.KBeyondCandidates,
                $"k = {k} exceeds ⌈Σt/R⌉ = {maxCandidates}, the most candidates any source can have: at least " +
                $"{k - maxCandidates} slots per source always stay -1."));
        }

        if (options?.TargetCapacities is { } caps)
        {
            long capacity = caps.Sum(c => (long)c);
            long slots = (long)rows * k;
            if (capacity < slots)
            {
                warnings.Add(new RoutingWarning(RoutingWarningCode.CapacityBelowSlots,
                    $"The target capacities add up to {capacity}, fewer than the R·k = {rows}·{k} = {slots} slots."));
            }
        }

        if (samples is { } count && confidence is { } level && TooFewSamples(count, level) is { } warning)
        {
            warnings.Add(warning);
        }

        return warnings;
    }

    /// <summary>As the degree overload, on matrices: their shapes are checked and their row degrees used.</summary>
    /// <param name="sources">S, <c>R × C</c>.</param>
    /// <param name="targets">T, <c>C × R</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="samples">The number of seeds a statistic will use, or null.</param>
    /// <param name="confidence">The confidence p a capacity estimate will use, or null.</param>
    /// <param name="options">Options, for <see cref="RouterOptions.TargetCapacities"/>; or null.</param>
    /// <returns>The warnings, empty when there is nothing to say.</returns>
    /// <exception cref="ArgumentException">The shapes do not match, or an input is invalid outright.</exception>
    public static IReadOnlyList<RoutingWarning> ValidateRoutingInputs(BitMatrix sources, BitMatrix targets, int k,
        int? samples = null, double? confidence = null, RouterOptions? options = null)
    {
        ArgumentChecks.Shapes(sources, targets);
        return ValidateRoutingInputs(sources.RowDegrees(), targets.RowDegrees(), k, samples, confidence, options);
    }
}
