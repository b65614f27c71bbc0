using PhaseRouter.Engine;

namespace PhaseRouter.Kernels;

/// <summary>
/// Everything SPEC steps 1–5 leave of the inputs: the degrees, the phase offsets φ and the column permutations π.
/// By the closed form, <c>j ∈ Cand_i ⇔ (πS[j] − φS_i) mod C &lt; s_i and (πT[i] − φT_j) mod R &lt; t_j</c>:
/// source <c>i</c> owns the arc <c>[φS_i, φS_i + s_i)</c> of the C-ring (on which target <c>j</c> sits at
/// <c>πS[j]</c>), and target <c>j</c> owns the arc <c>[φT_j, φT_j + t_j)</c> of the R-ring (on which source
/// <c>i</c> sits at <c>πT[i]</c>).
/// </summary>
internal sealed class PhaseLayout
{
    /// <summary>The layout of a whole routing: every source, permutations of full length.</summary>
    public PhaseLayout(int[] sourceDegrees, int[] targetDegrees, PhasePermutations permutations, LayoutWorkspace? workspace = null)
        : this(sourceDegrees.Length, 0, sourceDegrees, 0, targetDegrees, permutations.SourceColumns,
            permutations.TargetColumns, permutations.SourceRows, permutations.TargetRows, workspace)
    {
    }

    /// <summary>
    /// The layout of the sources <c>[firstRow, firstRow + shardDegrees.Length)</c> of an R-source routing: the shard's
    /// degrees, the sum of the degrees before it (which places its first arc on the C-ring) and πT of the shard's
    /// sources are all a shard needs besides the C-sized target side. Row permutations ρS need every degree, so they
    /// are only allowed for a whole routing.
    /// </summary>
    public PhaseLayout(int rows, int firstRow, int[] shardDegrees, long degreesBefore, int[] targetDegrees, int[] piS,
        int[] shardPiT, int[]? rhoS, int[]? rhoT, LayoutWorkspace? workspace = null) =>
        Reset(rows, firstRow, shardDegrees, degreesBefore, targetDegrees, piS, shardPiT, rhoS, rhoT, workspace ?? new LayoutWorkspace(), arcTables: true);

    /// <summary>
    /// Points this layout at a new whole routing (a workspace keeps one layout object and resets it each call, so the
    /// call allocates no layout). Without <paramref name="arcTables"/> only what the candidate sweep reads is built:
    /// the totals, the order ρS and the arc of the target at each ring position (the sweep finds φS itself).
    /// </summary>
    public void Reset(int[] sourceDegrees, int[] targetDegrees, int[] piS, int[] piT, int[]? rhoS, int[]? rhoT,
        LayoutWorkspace workspace, bool arcTables) =>
        Reset(sourceDegrees.Length, 0, sourceDegrees, 0, targetDegrees, piS, piT, rhoS, rhoT, workspace, arcTables);

    /// <summary>A layout for <see cref="Reset(int[], int[], int[], int[], int[], int[], LayoutWorkspace, bool)"/> to fill.</summary>
    public PhaseLayout()
    {
        SourceDegrees = TargetDegrees = PiS = PiT = PhiS = PhiT = DealtTargets = AllTargets = TargetAt = [];
        LineStart = [];
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(SourceDegrees), nameof(TargetDegrees), nameof(PiS), nameof(PiT), nameof(PhiS),
        nameof(PhiT), nameof(DealtTargets), nameof(AllTargets), nameof(TargetAt), nameof(LineStart))]
    private void Reset(int rows, int firstRow, int[] shardDegrees, long degreesBefore, int[] targetDegrees, int[] piS,
        int[] shardPiT, int[]? rhoS, int[]? rhoT, LayoutWorkspace w, bool arcTables)
    {
        R = rows;
        C = targetDegrees.Length;
        FirstRow = firstRow;
        Rows = shardDegrees.Length;
        SourceDegrees = shardDegrees;
        TargetDegrees = targetDegrees;
        PiS = piS;
        PiT = shardPiT;
        // The candidate sweep finds the arcs' boundaries itself (from the degrees in order ρS) and reads the targets by
        // position: φS, φT by target and the doubled target table are built only for the per-source kernels.
        PhiS = arcTables ? LayoutWorkspace.Take(ref w.PhiS, Rows) : [];
        PhiT = arcTables ? LayoutWorkspace.Take(ref w.PhiT, C) : [];
        SourceOrder = rhoS;
        AllTargets = Identity(C, w);
        DealtTargets = rhoT ?? AllTargets;
        TargetsDealtInOrder = rhoT is null;

        // Step 2 (and 5): deal the source arcs round the C-ring in order ρS.
        if (C > 0 && arcTables)
        {
            long acc = degreesBefore % C;
            for (int m = 0; m < Rows; m++)
            {
                int i = rhoS is null ? m : rhoS[m];
                PhiS[i] = (int)acc;
                acc += shardDegrees[i];
                if (acc >= C)
                {
                    acc -= C;
                }
            }
        }

        TargetAt = arcTables ? LayoutWorkspace.Take(ref w.TargetAt, 2 * C) : [];
        PhiTAt16 = DegreeTAt16 = null;
        PhiTAt = DegreeTAt = null;

        // Without the arc tables, the sweep's table (the arc of the target at each position, in position order: the
        // sweep walks the C-ring in order) is written in the same pass that deals the target arcs.
        ulong[] arcAt = TargetArcByPosition = arcTables ? [] : LayoutWorkspace.Take(ref w.TargetArcAt, C);

        // Target arcs on the unrolled R-line: dealt target m covers [LineStart[m], LineStart[m + 1]).
        LineStart = arcTables ? LayoutWorkspace.Take(ref w.LineStart, C + 1) : [];
        long line = 0;
        int phi = 0; // line mod R, kept by one subtraction per step since t_j ≤ R (no 64-bit division)
        for (int m = 0; m < C; m++)
        {
            int j = DealtTargets[m];
            int t = targetDegrees[j];
            if (arcTables)
            {
                LineStart[m] = line;
            }
            else
            {
                arcAt[PiS[j]] = (uint)phi | ((ulong)(uint)t << 32); // one store per target, one load per position
            }

            if (arcTables)
            {
                PhiT[j] = phi;
            }

            line += t;
            phi += t;
            if (phi >= R)
            {
                phi -= R;
            }
        }

        if (arcTables)
        {
            LineStart[C] = line;
        }

        TotalTargetDegree = line;
        TargetsAllFull = !targetDegrees.AsSpan().ContainsAnyExcept(R);
        MaxCandidates = R == 0 ? 0 : (int)Math.Min(C, (TotalTargetDegree + R - 1) / R);

        if (!arcTables)
        {
            return;
        }

        // Arc-scan tables indexed by position on the C-ring, doubled so that any arc is one contiguous slice.
        // A target ring of at most 65535 sources fits φT and t in 16 bits: twice the lanes per compare.
        if (R <= ushort.MaxValue)
        {
            PhiTAt16 = LayoutWorkspace.Take(ref w.PhiTAt16, 2 * C);
            DegreeTAt16 = LayoutWorkspace.Take(ref w.DegreeTAt16, 2 * C);
        }
        else
        {
            PhiTAt = LayoutWorkspace.Take(ref w.PhiTAt, 2 * C);
            DegreeTAt = LayoutWorkspace.Take(ref w.DegreeTAt, 2 * C);
        }

        for (int j = 0; j < C; j++)
        {
            int p = PiS[j];
            TargetAt[p] = TargetAt[p + C] = j;
            if (PhiTAt16 is not null)
            {
                PhiTAt16[p] = PhiTAt16[p + C] = (ushort)PhiT[j];
                DegreeTAt16![p] = DegreeTAt16[p + C] = (ushort)targetDegrees[j];
            }
            else
            {
                PhiTAt![p] = PhiTAt[p + C] = PhiT[j];
                DegreeTAt![p] = DegreeTAt[p + C] = targetDegrees[j];
            }
        }
    }

    /// <summary>R, the number of sources of the whole routing (the length of the target ring).</summary>
    public int R { get; private set; }

    /// <summary>The first source of this layout's shard (0 for a whole routing).</summary>
    public int FirstRow { get; private set; }

    /// <summary>The number of sources in this layout's shard (R for a whole routing); rows are indexed from 0.</summary>
    public int Rows { get; private set; }

    /// <summary>C, the number of targets.</summary>
    public int C { get; private set; }

    public int[] SourceDegrees { get; private set; }

    public int[] TargetDegrees { get; private set; }

    /// <summary>πS: position of target j on the C-ring.</summary>
    public int[] PiS { get; private set; }

    /// <summary>πT: position of source FirstRow + r on the R-ring, at index r.</summary>
    public int[] PiT { get; private set; }

    /// <summary>φS: start of source FirstRow + r's arc on the C-ring, at index r (empty for the sweep's layout).</summary>
    public int[] PhiS { get; private set; }

    /// <summary>φT_j: start of target j's arc on the R-ring (empty for the sweep's layout, which has it by position).</summary>
    public int[] PhiT { get; private set; }

    /// <summary>ρS: sources in the order their arcs are dealt, or null for 0, 1, …, R − 1 (a whole routing only).</summary>
    public int[]? SourceOrder { get; private set; }

    /// <summary>ρT: targets in the order their arcs are dealt.</summary>
    public int[] DealtTargets { get; private set; }

    /// <summary>Whether ρT is the identity, so that line owners come out in ascending target order.</summary>
    public bool TargetsDealtInOrder { get; private set; }

    /// <summary>Prefix sums of target degrees in dealing order (length C + 1).</summary>
    public long[] LineStart { get; private set; }

    /// <summary>Whether every target accepts every source (t_j = R for all j): the target-side test always holds.</summary>
    public bool TargetsAllFull { get; private set; }

    /// <summary>
    /// Whether Cand_i is all of <c>[0, C)</c>: a full source row (s_i = C) meets targets that accept everyone.
    /// </summary>
    public bool IsComplete(int row) => TargetsAllFull && SourceDegrees[row] == C && C > 0;

    /// <summary>The targets 0, 1, …, C − 1: the candidate list of a complete row.</summary>
    public int[] AllTargets { get; private set; }

    /// <summary>Σt.</summary>
    public long TotalTargetDegree { get; private set; }

    /// <summary>
    /// An upper bound on |Cand_i|: a source's place on the R-ring lies in at most ⌈Σt/R⌉ target arcs, because the
    /// arcs tile the ring and none is longer than R.
    /// </summary>
    public int MaxCandidates { get; private set; }

    /// <summary>Target at each position of the doubled C-ring (empty for the sweep's layout).</summary>
    public int[] TargetAt { get; private set; }

    /// <summary>φT of the target at each position of the doubled C-ring.</summary>
    public int[]? PhiTAt { get; private set; }

    /// <summary><see cref="PhiTAt"/> in 16 bits, instead of it, when R ≤ 65535.</summary>
    public ushort[]? PhiTAt16 { get; private set; }

    /// <summary><see cref="DegreeTAt"/> in 16 bits, instead of it, when R ≤ 65535.</summary>
    public ushort[]? DegreeTAt16 { get; private set; }

    /// <summary>
    /// The arc of the target at each position of the C-ring (C entries: φT in the low half, t in the high half), built
    /// instead of the arc tables for the sweep.
    /// </summary>
    public ulong[] TargetArcByPosition { get; private set; } = [];

    /// <summary>t of the target at each position of the doubled C-ring.</summary>
    public int[]? DegreeTAt { get; private set; }

    /// <summary>0, 1, …, n − 1; a workspace's copy is written once and never changed.</summary>
    private static int[] Identity(int n, LayoutWorkspace workspace)
    {
        if (workspace.Identity is { } kept && kept.Length == n)
        {
            return kept;
        }

        int[] a = LayoutWorkspace.Take(ref workspace.Identity, n);
        for (int i = 0; i < n; i++)
        {
            a[i] = i;
        }

        return a;
    }
}
