using MathNet.Numerics.Distributions;

namespace PhaseRouter.Statistics;

/// <summary>
/// The first-order law of the phase router with random selection (SPEC §1): per target, the expected candidate load
/// and the exact expected load after selection under the fan-out bound, both over uniformly random seeds.
/// Made by <see cref="RoutingStatistics.ExpectedLoads(ReadOnlySpan{int}, ReadOnlySpan{int}, int, RouterOptions?)"/>.
/// </summary>
/// <remarks>
/// <para>
/// Candidates: <c>P(j ∈ Cand_i) = (s_i/C)(t_j/R)</c>, so the expected candidate load of target j is
/// <c>Σ_i s_i t_j/(C·R) = t_j·Σs/(C·R)</c>.
/// </para>
/// <para>
/// Selection: source i keeps each of its <c>c_i</c> candidates with probability <c>min(1, k_i/c_i)</c> (k_i is k or the
/// source's limit). Source i sits at the uniform place q of the target ring, which the target arcs cover
/// <c>d(q) = ⌈(Σt − q)/R⌉</c> deep. Given that j is a candidate of i and q lies in j's arc, the other
/// <c>d(q) − 1</c> targets covering q sit at uniformly random other places of the source ring, so
/// <c>c_i − 1 ~ HG(C − 1, s_i − 1, d(q) − 1)</c>. Hence, exactly,
/// <c>P(i selects j) = s_i/(C·R) · Σ_{q ∈ arc_j} E[min(1, k_i/(1 + HG(C − 1, s_i − 1, d(q) − 1)))]</c>,
/// and the expected load is the sum over i. d(q) takes only the values <c>⌊Σt/R⌋</c> and <c>⌈Σt/R⌉</c>, so the sum
/// needs only how many places of j's arc are of each kind.
/// </para>
/// <para>
/// That count is fixed by the degrees when rows are not permuted. With <see cref="RouterOptions.PermuteRows"/>, the
/// arc's place depends on the random dealing order and is averaged as if uniform on the unrolled line of Σt points:
/// the expected load is then an approximation (<see cref="IsExact"/> is false) unless selection cannot cap, Σt is a
/// multiple of R, or Σt &lt; R (then every place of an arc is equally deep). When k is at
/// least <see cref="MaxCandidates"/>, selection never caps and <see cref="ExpectedLoad"/> equals
/// <see cref="CandidateLoad"/> exactly.
/// </para>
/// </remarks>
public sealed class LoadExpectation
{
    /// <summary>Hypergeometric terms below this probability end a tail sum.</summary>
    private const double TailCutoff = 1e-20;

    private readonly int[] _sourceDegrees;
    private readonly int[] _targetDegrees;
    private readonly int[]? _limits;
    private readonly double[] _highPlaces;
    private readonly double[] _candidate;
    private readonly double[] _expected;
    private readonly Dictionary<(int Degree, int Limit), (double High, double Low)> _keep;
    private readonly Dictionary<(int Degree, long HighPlaces), TargetLoadLaw> _laws = new();
    private readonly long _sumS;

    private LoadExpectation(int[] s, int[] t, int k, int[]? limits, bool permuteRows)
    {
        _sourceDegrees = s;
        _targetDegrees = t;
        _limits = limits;
        K = k;
        int rows = s.Length;
        int columns = t.Length;
        long sumS = 0;
        foreach (int d in s)
        {
            sumS += d;
        }

        long sumT = 0;
        foreach (int d in t)
        {
            sumT += d;
        }

        _sumS = sumS;
        MaxCandidates = rows == 0 ? 0 : (int)Math.Min(columns, (sumT + rows - 1) / rows);
        int lowDepth = rows == 0 ? 0 : (int)(sumT / rows);
        long highCount = rows == 0 ? 0 : sumT % rows;
        int highDepth = highCount == 0 ? lowDepth : lowDepth + 1;

        // Places of each target's arc on the target ring that the arcs cover ⌈Σt/R⌉ deep: [0, Σt mod R).
        _highPlaces = new double[columns];
        long lineStart = 0;
        for (int j = 0; j < columns; j++)
        {
            if (highCount == 0)
            {
                _highPlaces[j] = 0;
            }
            else if (permuteRows)
            {
                // The arc's place on the line depends on the dealing order; averaged as if uniform over the Σt line
                // points, of which ⌈Σt/R⌉·(Σt mod R) lie at the deeper places.
                _highPlaces[j] = (double)t[j] * highDepth * highCount / sumT;
            }
            else
            {
                long start = lineStart % rows;
                long end = start + t[j];
                _highPlaces[j] = end <= rows
                    ? Overlap(start, end, highCount)
                    : Overlap(start, rows, highCount) + Overlap(0, end - rows, highCount);
            }

            lineStart += t[j];
        }

        // Keep probabilities per distinct (degree, limit), and their s-weighted sums over sources.
        _keep = new Dictionary<(int, int), (double, double)>();
        double weightedHigh = 0;
        double weightedLow = 0;
        bool caps = false;
        for (int i = 0; i < rows; i++)
        {
            int limit = limits?[i] ?? k;
            if (s[i] == 0)
            {
                continue;
            }

            if (!_keep.TryGetValue((s[i], limit), out var f))
            {
                f = (KeepProbability(s[i], highDepth, limit, columns), KeepProbability(s[i], lowDepth, limit, columns));
                _keep.Add((s[i], limit), f);
            }

            caps |= limit < Math.Min(s[i], MaxCandidates);
            weightedHigh += s[i] * f.High;
            weightedLow += s[i] * f.Low;
        }

        SelectionCanCap = caps;
        IsExact = !(permuteRows && caps && highCount != 0 && lowDepth > 0);
        double scale = (double)rows * columns;
        _candidate = new double[columns];
        _expected = new double[columns];
        double total = 0;
        for (int j = 0; j < columns; j++)
        {
            _candidate[j] = t[j] * (double)sumS / scale;
            _expected[j] = caps
                ? (_highPlaces[j] * weightedHigh + (t[j] - _highPlaces[j]) * weightedLow) / scale
                : _candidate[j];
            total += _expected[j];
        }

        ExpectedActiveRoutes = total;
    }

    /// <summary>R, the number of sources.</summary>
    public int Sources => _sourceDegrees.Length;

    /// <summary>C, the number of targets.</summary>
    public int Targets => _targetDegrees.Length;

    /// <summary>The fan-out bound k.</summary>
    public int K { get; }

    /// <summary><c>min(C, ⌈Σt/R⌉)</c>: no source ever has more candidates.</summary>
    public int MaxCandidates { get; }

    /// <summary>
    /// Whether selection can drop candidates: some source's fan-out bound is below <c>min(s_i, ⌈Σt/R⌉)</c>. When false,
    /// every candidate is routed and <see cref="ExpectedLoad"/> equals <see cref="CandidateLoad"/>.
    /// </summary>
    public bool SelectionCanCap { get; }

    /// <summary>Whether <see cref="ExpectedLoad"/> is exact (see the remarks for the one approximate case).</summary>
    public bool IsExact { get; }

    /// <summary>Per target, the expected number of sources that have it as a candidate: <c>t_j·Σs/(C·R)</c>.</summary>
    public IReadOnlyList<double> CandidateLoad => _candidate;

    /// <summary>Per target, the expected load after random selection under the fan-out bound.</summary>
    public IReadOnlyList<double> ExpectedLoad => _expected;

    /// <summary>The expected number of filled slots, <c>Σ_j ExpectedLoad[j]</c>.</summary>
    public double ExpectedActiveRoutes { get; }

    /// <summary>
    /// The largest expected load over the mean expected load: the global skew the router tends to as the number of
    /// seeds grows (NaN when no load is expected).
    /// </summary>
    public double GlobalSkew
    {
        get
        {
            if (_expected.Length == 0 || ExpectedActiveRoutes <= 0)
            {
                return double.NaN;
            }

            return _expected.Max() / (ExpectedActiveRoutes / _expected.Length);
        }
    }

    /// <summary><c>P(j ∈ Cand_i) = (s_i/C)·(t_j/R)</c>.</summary>
    /// <param name="source">Source index i in <c>[0, R)</c>.</param>
    /// <param name="target">Target index j in <c>[0, C)</c>.</param>
    public double CandidateProbability(int source, int target)
    {
        CheckPair(source, target);
        return (double)_sourceDegrees[source] * _targetDegrees[target] / ((double)Sources * Targets);
    }

    /// <summary>P(source i routes to target j) under random selection with its fan-out bound (see the remarks).</summary>
    /// <param name="source">Source index i in <c>[0, R)</c>.</param>
    /// <param name="target">Target index j in <c>[0, C)</c>.</param>
    public double SelectionProbability(int source, int target)
    {
        CheckPair(source, target);
        int s = _sourceDegrees[source];
        if (s == 0)
        {
            return 0;
        }

        var f = _keep[(s, _limits?[source] ?? K)];
        double high = _highPlaces[target];
        return s * (high * f.High + (_targetDegrees[target] - high) * f.Low) / ((double)Sources * Targets);
    }

    /// <summary>The distribution over seeds of one target's load (see <see cref="TargetLoadLaw"/>).</summary>
    /// <param name="target">Target index j in <c>[0, C)</c>.</param>
    public TargetLoadLaw LoadLaw(int target)
    {
        if ((uint)target >= (uint)Targets)
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, $"target must be in [0, {Targets}).");
        }

        int t = _targetDegrees[target];
        var key = (t, BitConverter.DoubleToInt64Bits(_highPlaces[target]));
        lock (_laws)
        {
            if (_laws.TryGetValue(key, out TargetLoadLaw? cached))
            {
                return cached.Target == target ? cached : Retarget(cached, target);
            }
        }

        TargetLoadLaw law = BuildLaw(target);
        lock (_laws)
        {
            _laws.TryAdd(key, law);
        }

        return law;
    }

    internal static LoadExpectation Compute(int[] s, int[] t, int k, int[]? limits, bool permuteRows) =>
        new(s, t, k, limits, permuteRows);

    private static TargetLoadLaw Retarget(TargetLoadLaw law, int target)
    {
        var pmf = new double[law.Maximum - law.Minimum + 1];
        for (int x = 0; x < pmf.Length; x++)
        {
            pmf[x] = law.Probability(law.Minimum + x);
        }

        return new TargetLoadLaw(target, law.Minimum, pmf, law.Model);
    }

    private TargetLoadLaw BuildLaw(int target)
    {
        int rows = Sources;
        int columns = Targets;
        int t = _targetDegrees[target];
        if (rows == 0 || columns == 0 || t == 0 || _sumS == 0)
        {
            return new TargetLoadLaw(target, 0, [1.0], LoadLawModel.ExactHypergeometricMixture);
        }

        // Candidate count: HG(R, a, t) at a = ⌊Σs/C⌋ with weight 1 − h/C and a + 1 with weight h/C, h = Σs mod C.
        int low = (int)(_sumS / columns);
        double highWeight = (double)(_sumS % columns) / columns;
        int maxCount = Math.Min(t, highWeight > 0 ? low + 1 : low);
        var candidates = new double[maxCount + 1];
        AddHypergeometric(candidates, rows, low, t, 1 - highWeight);
        if (highWeight > 0)
        {
            AddHypergeometric(candidates, rows, low + 1, t, highWeight);
        }

        double keep = _candidate[target] > 0 ? _expected[target] / _candidate[target] : 1.0;
        if (!SelectionCanCap || keep >= 1.0)
        {
            return Trimmed(target, candidates, LoadLawModel.ExactHypergeometricMixture);
        }

        // Thin binomially: load = Binomial(count, keep) given the candidate count.
        var thinned = new double[maxCount + 1];
        for (int m = 0; m <= maxCount; m++)
        {
            if (candidates[m] > 0)
            {
                AddBinomial(thinned, m, keep, candidates[m]);
            }
        }

        return Trimmed(target, thinned, LoadLawModel.ThinnedHypergeometricMixture);
    }

    private static TargetLoadLaw Trimmed(int target, double[] pmf, LoadLawModel model)
    {
        int first = 0;
        while (first < pmf.Length - 1 && pmf[first] < TailCutoff)
        {
            first++;
        }

        int last = pmf.Length - 1;
        while (last > first && pmf[last] < TailCutoff)
        {
            last--;
        }

        return new TargetLoadLaw(target, first, pmf[first..(last + 1)], model);
    }

    /// <summary>Adds <c>weight · HG(population, successes, draws)</c> to <paramref name="pmf"/>, tails cut at 1e-20.</summary>
    private static void AddHypergeometric(double[] pmf, int population, int successes, int draws, double weight)
    {
        int lo = Math.Max(0, draws + successes - population);
        int hi = Math.Min(draws, successes);
        int mode = (int)Math.Clamp((long)(draws + 1) * (successes + 1) / (population + 2), lo, hi);
        for (int x = mode; x <= hi; x++)
        {
            double p = Math.Exp(Hypergeometric.PMFLn(population, successes, draws, x));
            pmf[x] += weight * p;
            if (p < TailCutoff && x > mode)
            {
                break;
            }
        }

        for (int x = mode - 1; x >= lo; x--)
        {
            double p = Math.Exp(Hypergeometric.PMFLn(population, successes, draws, x));
            pmf[x] += weight * p;
            if (p < TailCutoff)
            {
                break;
            }
        }
    }

    /// <summary>Adds <c>weight · Binomial(trials, p)</c> to <paramref name="pmf"/>, tails cut at 1e-20.</summary>
    private static void AddBinomial(double[] pmf, int trials, double p, double weight)
    {
        int mode = (int)Math.Clamp(Math.Floor((trials + 1) * p), 0, trials);
        for (int x = mode; x <= trials; x++)
        {
            double q = Math.Exp(Binomial.PMFLn(p, trials, x));
            pmf[x] += weight * q;
            if (q < TailCutoff && x > mode)
            {
                break;
            }
        }

        for (int x = mode - 1; x >= 0; x--)
        {
            double q = Math.Exp(Binomial.PMFLn(p, trials, x));
            pmf[x] += weight * q;
            if (q < TailCutoff)
            {
                break;
            }
        }
    }

    /// <summary>
    /// <c>E[min(1, limit/c)]</c> for a candidate of a source of degree <paramref name="degree"/> whose place on the
    /// target ring is covered <paramref name="depth"/> deep, where <c>c − 1 ~ HG(C − 1, degree − 1, depth − 1)</c>.
    /// </summary>
    private static double KeepProbability(int degree, int depth, int limit, int columns)
    {
        if (limit == 0 || depth == 0)
        {
            return 0;
        }

        if (limit >= Math.Min(degree, depth))
        {
            return 1;
        }

        int population = columns - 1;
        int successes = degree - 1;
        int draws = depth - 1;
        int lo = Math.Max(0, draws + successes - population);
        int hi = Math.Min(draws, successes);
        int mode = (int)Math.Clamp((long)(draws + 1) * (successes + 1) / (population + 2), lo, hi);

        // 1 − Σ_{x ≥ limit} P(x)·(1 − limit/(1 + x)): only candidate counts above the limit lose anything.
        double loss = 0;
        for (int x = Math.Max(limit, lo); x <= hi; x++)
        {
            double p = Math.Exp(Hypergeometric.PMFLn(population, successes, draws, x));
            loss += p * (1.0 - (double)limit / (1 + x));
            if (p < TailCutoff && x > mode)
            {
                break;
            }
        }

        return 1.0 - loss;
    }

    private static long Overlap(long start, long end, long highCount) =>
        Math.Max(0, Math.Min(end, highCount) - Math.Max(start, 0));

    private void CheckPair(int source, int target)
    {
        if ((uint)source >= (uint)Sources)
        {
            throw new ArgumentOutOfRangeException(nameof(source), source, $"source must be in [0, {Sources}).");
        }

        if ((uint)target >= (uint)Targets)
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, $"target must be in [0, {Targets}).");
        }
    }
}
