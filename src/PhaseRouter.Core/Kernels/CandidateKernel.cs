namespace PhaseRouter.Kernels;

/// <summary>Enumerates Cand_i (SPEC step 7) for one source at a time, in ascending target order.</summary>
internal abstract class CandidateKernel
{
    protected CandidateKernel(PhaseLayout layout) => Layout = layout;

    public PhaseLayout Layout { get; }

    /// <summary>
    /// Writes Cand_<paramref name="row"/> in ascending order into <paramref name="destination"/>, which holds at
    /// least <see cref="PhaseLayout.MaxCandidates"/> entries, and returns its size.
    /// </summary>
    public abstract int Enumerate(int row, Span<int> destination);

    /// <summary>Writes Cand_<paramref name="row"/> in any order (score ranking does not need ascending order).</summary>
    public virtual int EnumerateUnordered(int row, Span<int> destination) => Enumerate(row, destination);

    public static CandidateKernel Create(RouterKernel kind, PhaseLayout layout, int maxDegreeOfParallelism) => kind switch
    {
        RouterKernel.BitParallel => new BitPipelineKernel(layout, maxDegreeOfParallelism),
        _ => new ArcScanKernel(layout),
    };
}
