namespace PhaseRouter.Evaluation.Suites;

/// <summary>
/// Every intermediate matrix of the pipeline (SPEC §1 steps 1–8), built literally from the definitions with the
/// permutations the router derives from the seed, so the pictures show exactly what the operator does. The candidates
/// are checked against <see cref="Router.Candidates(BitMatrix, BitMatrix, RouterOptions?)"/> by the callers.
/// </summary>
public sealed record PipelineSteps(
    BitMatrix Sources,
    BitMatrix SourcesAligned,
    BitMatrix SourcesRotated,
    BitMatrix SourcesShuffled,
    BitMatrix Targets,
    BitMatrix TargetsAligned,
    BitMatrix TargetsRotated,
    BitMatrix TargetsShuffled,
    BitMatrix TargetsFinal,
    BitMatrix Candidates,
    BitMatrix Routes)
{
    /// <summary>The steps for S (<c>R × C</c>), T (<c>C × R</c>), k and a seed (row permutations off, as by default).</summary>
    /// <param name="sources">S.</param>
    /// <param name="targets">T.</param>
    /// <param name="k">k.</param>
    /// <param name="seed">The seed.</param>
    public static PipelineSteps Build(BitMatrix sources, BitMatrix targets, int k, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        int rows = sources.Rows;
        int columns = sources.Columns;
        int[] s = sources.RowDegrees();
        int[] t = targets.RowDegrees();
        PhasePermutations permutations = PhasePermutations.FromSeed(seed, rows, columns);

        BitMatrix sourcesRotated = Rotated(s, columns);
        BitMatrix targetsRotated = Rotated(t, rows);
        BitMatrix sourcesShuffled = Shuffled(sourcesRotated, permutations.SourceColumns);
        BitMatrix targetsShuffled = Shuffled(targetsRotated, permutations.TargetColumns);
        BitMatrix targetsFinal = targetsShuffled.Transpose();

        var candidates = new BitMatrix(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                candidates[i, j] = sourcesShuffled[i, j] && targetsFinal[i, j];
            }
        }

        RoutingResult result = Router.Route(sources, targets, k, new RouterOptions { Seed = seed });
        var routes = new BitMatrix(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            foreach (int j in result.RoutesOf(i))
            {
                if (j >= 0)
                {
                    routes[i, j] = true;
                }
            }
        }

        return new PipelineSteps(sources, BitMatrix.FromDegrees(s, columns), sourcesRotated, sourcesShuffled, targets,
            BitMatrix.FromDegrees(t, rows), targetsRotated, targetsShuffled, targetsFinal, candidates, routes);
    }

    /// <summary>The pictures in pipeline order: file stem and title.</summary>
    public IReadOnlyList<(string Name, string Title, BitMatrix Matrix)> Frames =>
    [
        ("01_S", "1. S: sources × targets (input)", Sources),
        ("02_S_aligned", "2. S aligned: each row's ones moved left", SourcesAligned),
        ("03_S_rotated", "3. S rotated: row i is an arc from φS_i", SourcesRotated),
        ("04_S_shuffled", "4. S shuffled: columns permuted by πS", SourcesShuffled),
        ("05_T", "5. T: targets × sources (input)", Targets),
        ("06_T_aligned", "6. T aligned", TargetsAligned),
        ("07_T_rotated", "7. T rotated: row j is an arc from φT_j", TargetsRotated),
        ("08_T_shuffled", "8. T shuffled: columns permuted by πT", TargetsShuffled),
        ("09_T_final", "9. T final: T shuffled, transposed", TargetsFinal),
        ("10_candidates", "10. Candidates: S shuffled AND T final", Candidates),
        ("11_routes", "11. Routes: ≤ k candidates per source", Routes),
    ];

    /// <summary>Row i has ones at ring positions <c>(φ_i + u) mod ring</c>, <c>0 ≤ u &lt; d_i</c>, φ the prefix sums of d.</summary>
    private static BitMatrix Rotated(int[] degrees, int ring)
    {
        var m = new BitMatrix(degrees.Length, ring);
        long phase = 0;
        for (int i = 0; i < degrees.Length; i++)
        {
            for (int u = 0; u < degrees[i]; u++)
            {
                m[i, (int)((phase + u) % ring)] = true;
            }

            phase = (phase + degrees[i]) % Math.Max(1, ring);
        }

        return m;
    }

    /// <summary>Column c of the result is column <c>π[c]</c> of the input.</summary>
    private static BitMatrix Shuffled(BitMatrix m, int[] permutation)
    {
        var result = new BitMatrix(m.Rows, m.Columns);
        for (int i = 0; i < m.Rows; i++)
        {
            for (int c = 0; c < m.Columns; c++)
            {
                result[i, c] = m[i, permutation[c]];
            }
        }

        return result;
    }
}
