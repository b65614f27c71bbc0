namespace PhaseRouter.Core.Tests.Reference;

/// <summary>
/// SPEC §1 as written, on dense bool arrays, one step at a time, with no cleverness: the oracle every fast kernel
/// is checked against. It derives its random choices from its own copy of the documented generator
/// (<see cref="ReferenceRandom"/>), so it also pins the documented seed derivation.
/// </summary>
internal sealed class ReferenceRouter
{
    public required bool[,] S { get; init; }

    public required bool[,] T { get; init; }

    public int R => S.GetLength(0);

    public int C => S.GetLength(1);

    /// <summary>The S_rot of step 3, kept for the low-discrepancy test.</summary>
    public bool[,] SRot { get; private set; } = new bool[0, 0];

    /// <summary>Cand of step 7.</summary>
    public bool[,] Cand { get; private set; } = new bool[0, 0];

    public static ReferenceRouter FromDegrees(int[] s, int[] t)
    {
        var sm = new bool[s.Length, t.Length];
        var tm = new bool[t.Length, s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            for (int u = 0; u < s[i]; u++)
            {
                sm[i, u] = true;
            }
        }

        for (int j = 0; j < t.Length; j++)
        {
            for (int u = 0; u < t[j]; u++)
            {
                tm[j, u] = true;
            }
        }

        return new ReferenceRouter { S = sm, T = tm };
    }

    /// <summary>Steps 1–7: computes <see cref="Cand"/>.</summary>
    public void BuildCandidates(ulong seed, bool permuteRows, PhasePermutations? given = null)
    {
        int r = R, c = C;

        // Step 1: align — only the degrees survive.
        var s = new int[r];
        var t = new int[c];
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < c; j++)
            {
                s[i] += S[i, j] ? 1 : 0;
            }
        }

        for (int j = 0; j < c; j++)
        {
            for (int i = 0; i < r; i++)
            {
                t[j] += T[j, i] ? 1 : 0;
            }
        }

        // Steps 4 and 5: the permutations.
        int[] piS = given?.SourceColumns ?? ReferenceRandom.Permutation(seed, 1, c);
        int[] piT = given?.TargetColumns ?? ReferenceRandom.Permutation(seed, 2, r);
        int[] rhoS = given?.SourceRows ?? (permuteRows ? ReferenceRandom.Permutation(seed, 3, r) : Enumerable.Range(0, r).ToArray());
        int[] rhoT = given?.TargetRows ?? (permuteRows ? ReferenceRandom.Permutation(seed, 4, c) : Enumerable.Range(0, c).ToArray());

        // Step 2 (with the dealing order of step 5): phase offsets.
        var phiS = new int[r];
        var phiT = new int[c];
        int sum = 0;
        for (int m = 0; m < r; m++)
        {
            phiS[rhoS[m]] = c == 0 ? 0 : sum % c;
            sum += s[rhoS[m]];
        }

        sum = 0;
        for (int m = 0; m < c; m++)
        {
            phiT[rhoT[m]] = r == 0 ? 0 : sum % r;
            sum += t[rhoT[m]];
        }

        // Step 3: rotate each row into its arc.
        var sRot = new bool[r, c];
        var tRot = new bool[c, r];
        for (int i = 0; i < r; i++)
        {
            for (int u = 0; u < s[i]; u++)
            {
                sRot[i, (phiS[i] + u) % c] = true;
            }
        }

        for (int j = 0; j < c; j++)
        {
            for (int u = 0; u < t[j]; u++)
            {
                tRot[j, (phiT[j] + u) % r] = true;
            }
        }

        // Step 4: permute columns.
        var sShuf = new bool[r, c];
        var tShuf = new bool[c, r];
        for (int i = 0; i < r; i++)
        {
            for (int col = 0; col < c; col++)
            {
                sShuf[i, col] = sRot[i, piS[col]];
            }
        }

        for (int j = 0; j < c; j++)
        {
            for (int col = 0; col < r; col++)
            {
                tShuf[j, col] = tRot[j, piT[col]];
            }
        }

        // Step 6: transpose.
        var tFin = new bool[r, c];
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < c; j++)
            {
                tFin[i, j] = tShuf[j, i];
            }
        }

        // Step 7: intersect.
        var cand = new bool[r, c];
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < c; j++)
            {
                cand[i, j] = sShuf[i, j] && tFin[i, j];
            }
        }

        SRot = sRot;
        Cand = cand;
    }

    public List<int> CandidatesOf(int i) => Enumerable.Range(0, C).Where(j => Cand[i, j]).ToList();

    /// <summary>Step 8 and the capacity rules of SPEC §2; returns R·k slots padded with -1.</summary>
    public int[] Select(int k, ulong seed, float[]? scores = null, int[]? capacities = null, int[]? limits = null)
    {
        int r = R, c = C;
        var routes = Enumerable.Repeat(-1, r * k).ToArray();
        int Limit(int i) => limits?[i] ?? k;
        List<int> Ranked(int i) => CandidatesOf(i)
            .Where(j => scores![i * c + j] != float.NegativeInfinity)
            .OrderByDescending(j => scores![i * c + j]).ThenBy(j => j).ToList();

        if (capacities is null)
        {
            for (int i = 0; i < r; i++)
            {
                List<int> chosen;
                if (scores is not null)
                {
                    chosen = Ranked(i).Take(Limit(i)).ToList();
                }
                else
                {
                    List<int> cand = CandidatesOf(i);
                    if (cand.Count <= Limit(i))
                    {
                        chosen = cand;
                    }
                    else
                    {
                        var rng = ReferenceRandom.Stream(seed, 5, (ulong)i);
                        for (int step = 0; step < Limit(i); step++)
                        {
                            int pick = step + (int)rng.NextBounded((uint)(cand.Count - step));
                            (cand[step], cand[pick]) = (cand[pick], cand[step]);
                        }

                        chosen = cand.Take(Limit(i)).OrderBy(j => j).ToList();
                    }
                }

                for (int u = 0; u < chosen.Count; u++)
                {
                    routes[i * k + u] = chosen[u];
                }
            }

            return routes;
        }

        // Capacities: serve the sources one by one in priority order.
        int[] order = scores is not null
            ? Enumerable.Range(0, r)
                .OrderByDescending(i => Ranked(i).Take(Limit(i)).Select(j => scores[i * c + j]).DefaultIfEmpty(float.NegativeInfinity).First())
                .ThenBy(i => i).ToArray()
            : ReferenceRandom.Permutation(seed, 6, r);
        var load = new int[c];
        foreach (int i in order)
        {
            var chosen = new List<int>();
            if (scores is not null)
            {
                foreach (int j in Ranked(i))
                {
                    if (chosen.Count == Limit(i))
                    {
                        break;
                    }

                    if (load[j] < capacities[j])
                    {
                        load[j]++;
                        chosen.Add(j);
                    }
                }
            }
            else
            {
                List<int> cand = CandidatesOf(i);
                var rng = ReferenceRandom.Stream(seed, 5, (ulong)i);
                for (int step = 0; step < cand.Count && chosen.Count < Limit(i); step++)
                {
                    int pick = step + (int)rng.NextBounded((uint)(cand.Count - step));
                    (cand[step], cand[pick]) = (cand[pick], cand[step]);
                    if (load[cand[step]] < capacities[cand[step]])
                    {
                        load[cand[step]]++;
                        chosen.Add(cand[step]);
                    }
                }

                chosen.Sort();
            }

            for (int u = 0; u < chosen.Count; u++)
            {
                routes[i * k + u] = chosen[u];
            }
        }

        return routes;
    }
}
