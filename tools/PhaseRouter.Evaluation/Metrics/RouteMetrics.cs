using MathNet.Numerics.Statistics;

namespace PhaseRouter.Evaluation.Metrics;

/// <summary>The original's per-routing figures, computed from a <see cref="RoutingResult"/>.</summary>
public static class RouteMetrics
{
    /// <summary>At most this many error messages are kept; the flags still cover every row.</summary>
    public const int MaxErrors = 20;

    /// <summary>Column (target) load statistics.</summary>
    /// <param name="loads">Per-target loads.</param>
    public static ColumnStats Columns(ReadOnlySpan<int> loads)
    {
        if (loads.IsEmpty)
        {
            return new ColumnStats(0, 0, 0, 0, 0);
        }

        double[] values = new double[loads.Length];
        int min = int.MaxValue;
        int max = 0;
        for (int j = 0; j < loads.Length; j++)
        {
            values[j] = loads[j];
            min = Math.Min(min, loads[j]);
            max = Math.Max(max, loads[j]);
        }

        double mean = ArrayStatistics.Mean(values);
        return new ColumnStats(min, max, mean, ArrayStatistics.PopulationStandardDeviation(values), Skew(max, mean));
    }

    /// <summary>Routes-per-source statistics.</summary>
    /// <param name="result">The routing.</param>
    public static RowStats Rows(RoutingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Sources == 0)
        {
            return new RowStats(0, 0, 0, 0);
        }

        var counts = new double[result.Sources];
        for (int i = 0; i < result.Sources; i++)
        {
            int active = 0;
            foreach (int r in result.RoutesOf(i))
            {
                if (r >= 0)
                {
                    active++;
                }
            }

            counts[i] = active;
        }

        return new RowStats((int)ArrayStatistics.Minimum(counts), (int)ArrayStatistics.Maximum(counts),
            ArrayStatistics.Mean(counts), ArrayStatistics.PopulationStandardDeviation(counts));
    }

    /// <summary>Fill ratio and coverage.</summary>
    /// <param name="result">The routing.</param>
    /// <param name="onesInS">The ones of S.</param>
    /// <param name="onesInT">The ones of T.</param>
    public static FillMetrics Fill(RoutingResult result, long onesInS, long onesInT)
    {
        ArgumentNullException.ThrowIfNull(result);
        long capacity = (long)result.Sources * result.K;
        long active = result.ActiveRoutes;
        return new FillMetrics(active, capacity, capacity > 0 ? (double)active / capacity : 0,
            result.Sources > 0 ? (double)active / result.Sources : 0, onesInS, onesInT,
            onesInS > 0 ? (double)active / onesInS : 0, onesInT > 0 ? (double)active / onesInT : 0);
    }

    /// <summary>Checks every row of a routing.</summary>
    /// <param name="result">The routing.</param>
    /// <param name="candidates">Cand (<c>R × C</c>) to check membership against, or null to skip that check.</param>
    public static RouteValidation Validate(RoutingResult result, BitMatrix? candidates = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var errors = new List<string>();
        bool fanOut = true, bounds = true, unique = true, padding = true, member = true;
        var seen = new HashSet<int>();
        for (int i = 0; i < result.Sources; i++)
        {
            ReadOnlySpan<int> row = result.RoutesOf(i);
            seen.Clear();
            int active = 0;
            bool ended = false;
            foreach (int r in row)
            {
                if (r == -1)
                {
                    ended = true;
                    continue;
                }

                active++;
                if (ended)
                {
                    padding = false;
                    Note(errors, $"Row {i}: a route follows an unused slot");
                }

                if (r < 0 || r >= result.Targets)
                {
                    bounds = false;
                    Note(errors, $"Row {i}: route {r} is outside [0, {result.Targets})");
                    continue;
                }

                if (!seen.Add(r))
                {
                    unique = false;
                    Note(errors, $"Row {i}: duplicate route {r}");
                }

                if (candidates is not null && !candidates[i, r])
                {
                    member = false;
                    Note(errors, $"Row {i}: route {r} is not a candidate");
                }
            }

            if (active > result.K || row.Length > result.K)
            {
                fanOut = false;
                Note(errors, $"Row {i}: {active} routes > k = {result.K}");
            }
        }

        bool? members = candidates is null ? null : member;
        return new RouteValidation(fanOut && bounds && unique && padding && member, fanOut, bounds, unique, padding,
            members, errors);
    }

    /// <summary>max / mean, 0 when the mean is 0 (the original divides by mean + 1e-9, which gives the same to print precision).</summary>
    /// <param name="max">The largest load.</param>
    /// <param name="mean">The mean load.</param>
    public static double Skew(double max, double mean) => mean > 0 ? max / mean : 0;

    private static void Note(List<string> errors, string message)
    {
        if (errors.Count < MaxErrors)
        {
            errors.Add(message);
        }
    }
}
