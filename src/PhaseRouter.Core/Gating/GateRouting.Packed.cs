namespace PhaseRouter.Gating;

/// <content>The packed policy: the affinities become S and T per batch and are routed bit-parallel.</content>
public static partial class GateRouting
{
    /// <summary>
    /// Packed (SPEC §3): the batch's scores are packed (<see cref="AffinityPack"/>) into S = tokens × experts with each
    /// token's top-m experts set and T = experts × tokens with, in expert e's row, the tokens that rank e among their
    /// top-a; the operator routes them (<see cref="Router.Route(BitMatrix, BitMatrix, int, Memory{int}, RouterOptions?)"/>
    /// with the scores, <paramref name="capacity"/> for every expert and <paramref name="seed"/>), so an expert that
    /// more tokens favour is a candidate of more tokens. Each token takes its top-k candidates by score under capacity
    /// (tokens served highest best-candidate score first); then the completion of <see cref="Spill"/> fills what is
    /// left (tokens served highest top score first), so no slot is dropped whenever <c>E · capacity ≥ tokens · k</c>.
    /// The choices are the tokens' top-k by score; the packed matrices stay readable in
    /// <see cref="GateWorkspace.Pack"/> until the next call.
    /// </summary>
    /// <param name="scores">Row-major <c>[tokens, E]</c> scores, finite.</param>
    /// <param name="experts">E, at least 1.</param>
    /// <param name="k">Slots per token, in <c>[1, E]</c>.</param>
    /// <param name="menuSize">m, the degree of every row of S, in <c>[k, E]</c>.</param>
    /// <param name="acceptanceDepth">a, in <c>[1, E]</c> (see <see cref="DefaultAcceptanceDepth"/>).</param>
    /// <param name="capacity">Per-expert capacity, at least 0.</param>
    /// <param name="seed">The batch seed.</param>
    /// <param name="workspace">Receives the result.</param>
    /// <exception cref="ArgumentException">A size is out of range or a score is not finite.</exception>
    public static void Packed(ReadOnlySpan<float> scores, int experts, int k, int menuSize, int acceptanceDepth, int capacity, ulong seed,
        GateWorkspace workspace)
    {
        int tokens = CheckScores(scores, experts, k, workspace);
        CheckMenu(experts, k, menuSize, [], capacity);
        if (acceptanceDepth < 1 || acceptanceDepth > experts)
        {
            throw new ArgumentOutOfRangeException(nameof(acceptanceDepth), acceptanceDepth, $"The acceptance depth must be in [1, E = {experts}].");
        }

        workspace.Begin(tokens, experts, k, capacity);
        AffinityPack pack = workspace.PackBuffer;
        pack.MaxDegreeOfParallelism = workspace.MaxDegreeOfParallelism;
        pack.PackChecked(scores, tokens, experts, menuSize, acceptanceDepth);
        workspace.MarkPacked();
        Span<int> choices = workspace.ChoiceBuffer;
        TopKRows(scores, tokens, experts, k, choices, workspace);
        if (tokens == 0)
        {
            workspace.Finish(hasChoices: true);
            return;
        }

        // The operator takes its scores as memory; the workspace keeps a copy.
        float[] copy = GateWorkspace.Ensure(ref workspace.Scores, scores.Length);
        scores.CopyTo(copy);
        var capacities = new int[experts];
        Array.Fill(capacities, capacity);
        Router.Route(pack.Sources, pack.Targets, k, workspace.RouteArray.AsMemory(0, tokens * k), new RouterOptions
        {
            Seed = seed,
            Scores = copy.AsMemory(0, scores.Length),
            TargetCapacities = capacities,
            MaxDegreeOfParallelism = workspace.MaxDegreeOfParallelism,
        });

        // Completion, in the priority order of Spill (highest top score first, ties to the lower token).
        Span<int> routes = workspace.RouteBuffer;
        Span<int> loads = workspace.LoadBuffer;
        Span<int> need = GateWorkspace.Ensure(ref workspace.Need, tokens).AsSpan(0, tokens);
        Span<uint> keys = GateWorkspace.Ensure(ref workspace.Keys, tokens).AsSpan(0, tokens);
        bool anyShort = false;
        for (int t = 0; t < tokens; t++)
        {
            int filled = 0;
            foreach (int e in routes.Slice(t * k, k))
            {
                if (e >= 0)
                {
                    loads[e]++;
                    filled++;
                }
            }

            need[t] = k - filled;
            anyShort |= filled < k;
            keys[t] = Engine.PriorityOrder.Key(scores[t * experts + choices[t * k]]);
        }

        if (anyShort)
        {
            Span<int> order = GateWorkspace.Ensure(ref workspace.Order, tokens).AsSpan(0, tokens);
            Engine.PriorityOrder.Sort(keys, order, GateWorkspace.Ensure(ref workspace.OrderScratch, tokens));
            Complete(scores, experts, k, capacity, workspace);
        }

        workspace.Finish(hasChoices: true);
    }

    /// <summary>
    /// The packed policy's default menu size m: <c>min(E, max(k, ⌈√(2k · E)⌉))</c>. With the default acceptance depth
    /// (<see cref="DefaultAcceptanceDepth"/>) a then equals m whenever neither is clipped, so T is the transpose of S
    /// and each token expects <c>m · a / E ≈ 2k</c> candidates: E = 64, k = 2 gives m = a = 16.
    /// </summary>
    /// <param name="experts">E, at least 1.</param>
    /// <param name="k">Slots per token, in <c>[1, E]</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public static int DefaultPackedMenuSize(int experts, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(experts, 1);
        if (k < 1 || k > experts)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, E = {experts}].");
        }

        long product = 2L * k * experts;
        long root = (long)Math.Sqrt(product);
        while (root * root < product)
        {
            root++;
        }

        return (int)Math.Min(experts, Math.Max(k, root));
    }

    /// <summary>
    /// The packed policy's default acceptance depth a: <c>min(E, ⌈2k · E / m⌉)</c>. A token's expected candidate
    /// count is <c>m · Σt / (E · tokens) = m · a / E</c> (SPEC §1, first-order law, with Σt = tokens · a), so this a
    /// gives each token about 2k candidates to choose its k from (exactly a when m = E: the arcs of T then cover
    /// every token a times).
    /// </summary>
    /// <param name="experts">E, at least 1.</param>
    /// <param name="k">Slots per token, in <c>[1, E]</c>.</param>
    /// <param name="menuSize">m, in <c>[k, E]</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public static int DefaultAcceptanceDepth(int experts, int k, int menuSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(experts, 1);
        if (k < 1 || k > experts)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, E = {experts}].");
        }

        if (menuSize < k || menuSize > experts)
        {
            throw new ArgumentOutOfRangeException(nameof(menuSize), menuSize, $"The menu size must be in [k = {k}, E = {experts}].");
        }

        long wanted = ((long)2 * k * experts + menuSize - 1) / menuSize;
        return (int)Math.Min(experts, wanted);
    }
}
