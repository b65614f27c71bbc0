namespace PhaseRouter.Statistics;

/// <summary>
/// The distribution over seeds of one target's load, from <see cref="LoadExpectation.LoadLaw"/>.
/// </summary>
/// <remarks>
/// <para>
/// Candidate count. Target j sits at the uniformly random place <c>p = πS[j]</c> of the source ring, where the source
/// arcs that tile the ring stack <c>a(p) = ⌈(Σs − p)/C⌉</c> deep: <c>⌈Σs/C⌉</c> at <c>Σs mod C</c> places and
/// <c>⌊Σs/C⌋</c> at the others. The sources on j's arc of the target ring are a uniformly random <c>t_j</c>-subset
/// of all R (πT is uniform and independent of πS), so the number of sources that have j as a candidate is
/// hypergeometric, <c>HG(R, a(p), t_j)</c>, and over seeds a two-part mixture of such laws. This is exact, with or
/// without row permutations, and is the load law whenever selection does not cap.
/// </para>
/// <para>
/// When k (or a source limit) can cap, each candidate is kept with a probability that depends on the source's
/// candidate count; the law is then approximated by thinning the exact candidate-count law binomially with the
/// target's mean keep probability (<see cref="LoadLawModel.ThinnedHypergeometricMixture"/>). Its mean is still exact.
/// </para>
/// Probabilities below 1e-20 are dropped from the tails and the rest renormalised.
/// </remarks>
public sealed class TargetLoadLaw
{
    private readonly double[] _pmf;
    private readonly double[] _cdf;

    internal TargetLoadLaw(int target, int minimum, double[] pmf, LoadLawModel model)
    {
        Target = target;
        Model = model;
        Minimum = minimum;
        double total = 0;
        foreach (double p in pmf)
        {
            total += p;
        }

        _pmf = new double[pmf.Length];
        _cdf = new double[pmf.Length];
        double acc = 0;
        double mean = 0;
        for (int x = 0; x < pmf.Length; x++)
        {
            _pmf[x] = pmf[x] / total;
            acc += _pmf[x];
            _cdf[x] = acc;
            mean += (minimum + x) * _pmf[x];
        }

        _cdf[^1] = 1.0;
        double variance = 0;
        for (int x = 0; x < pmf.Length; x++)
        {
            double d = minimum + x - mean;
            variance += d * d * _pmf[x];
        }

        Mean = mean;
        Variance = variance;
    }

    /// <summary>The target index j.</summary>
    public int Target { get; }

    /// <summary>Whether the law is exact or the binomially thinned approximation.</summary>
    public LoadLawModel Model { get; }

    /// <summary>Whether <see cref="Model"/> is <see cref="LoadLawModel.ExactHypergeometricMixture"/>.</summary>
    public bool IsExact => Model == LoadLawModel.ExactHypergeometricMixture;

    /// <summary>The smallest load with probability kept (at least 1e-20).</summary>
    public int Minimum { get; }

    /// <summary>The largest load with probability kept.</summary>
    public int Maximum => Minimum + _pmf.Length - 1;

    /// <summary>The mean load.</summary>
    public double Mean { get; }

    /// <summary>The variance of the load.</summary>
    public double Variance { get; }

    /// <summary>The standard deviation of the load.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>P(load = <paramref name="load"/>).</summary>
    /// <param name="load">Any load; outside the kept support the probability is 0.</param>
    public double Probability(int load) =>
        load < Minimum || load > Maximum ? 0.0 : _pmf[load - Minimum];

    /// <summary>P(load ≤ <paramref name="load"/>).</summary>
    /// <param name="load">Any load.</param>
    public double CumulativeProbability(int load) =>
        load < Minimum ? 0.0 : load >= Maximum ? 1.0 : _cdf[load - Minimum];

    /// <summary>The <paramref name="probability"/>-quantile: the smallest load x with P(load ≤ x) ≥ p.</summary>
    /// <param name="probability">p in <c>(0, 1]</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">p is outside <c>(0, 1]</c> or NaN.</exception>
    public int Quantile(double probability)
    {
        if (!(probability > 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "probability must be in (0, 1].");
        }

        // Lower bound: the first place whose cumulative probability reaches p (the last one is exactly 1).
        int lo = 0;
        int hi = _cdf.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_cdf[mid] >= probability)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return Minimum + lo;
    }
}
