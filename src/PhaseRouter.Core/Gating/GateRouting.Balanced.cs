namespace PhaseRouter.Gating;

/// <content>Balanced assignment (BASE layers): the routing of largest total score under capacity.</content>
public static partial class GateRouting
{
    /// <summary>
    /// Balanced assignment (BASE layers, Lewis et al. 2021, generalised to k): the assignment of each token to k
    /// distinct experts, no expert above <paramref name="capacity"/>, that maximises the total score of the routed
    /// slots. Solved exactly by successive shortest paths on the expert graph (min-cost flow with per-expert prices,
    /// see the remarks): no approximation and no optimality gap beyond double rounding of path sums, each a handful of
    /// float differences (the scores themselves are compared exactly). When <c>E · capacity ≥ tokens · k</c> no slot
    /// is dropped; otherwise the largest possible number of slots is routed (<c>E · min(capacity, tokens)</c>) and,
    /// among those assignments, the one of largest total; <see cref="GateWorkspace.DroppedSlots"/> reports the rest.
    /// Each token's experts are written best score first (ties to the lower expert), then -1. Ties between optimal
    /// assignments are broken deterministically (tokens are placed in index order; the heaps and Dijkstra prefer the
    /// lower token and expert). The choices (and demand) are the tokens' top-k by score.
    /// </summary>
    /// <remarks>
    /// Cost: one Dijkstra over E nodes (O(E²)) per slot that cannot go straight to its best expert at the current
    /// prices, and O(E log C) heap work per token placed or moved; the time grows with how contended the capacity is
    /// (capacity factor near 1) and roughly with tokens · k · E. The measured figures are in the bench `gate` table.
    /// </remarks>
    /// <param name="scores">Row-major <c>[tokens, E]</c> scores (gate logits), finite.</param>
    /// <param name="experts">E, at least 1.</param>
    /// <param name="k">Slots per token, in <c>[1, E]</c>.</param>
    /// <param name="capacity">Per-expert capacity, at least 0.</param>
    /// <param name="workspace">Receives the result.</param>
    /// <exception cref="ArgumentException">A size is out of range or a score is not finite.</exception>
    public static void Balanced(ReadOnlySpan<float> scores, int experts, int k, int capacity, GateWorkspace workspace)
    {
        int tokens = CheckScores(scores, experts, k, workspace);
        CheckCapacity(capacity);
        if ((long)tokens * (experts + k) > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(scores), tokens, $"tokens · (E + k) must fit an array (E = {experts}, k = {k}).");
        }

        workspace.Begin(tokens, experts, k, capacity);
        TopKRows(scores, tokens, experts, k, workspace.ChoiceBuffer, workspace);
        if (tokens > 0)
        {
            (workspace.Balanced ??= new BalancedAssignment()).Solve(scores, tokens, experts, k, capacity, workspace.RouteBuffer);
        }

        workspace.Finish(hasChoices: true);
    }

    /// <summary>
    /// The total score of the last batch's routed slots: the sum, over every slot of <see cref="GateWorkspace.Routes"/>
    /// that holds an expert, of that token's score for that expert (in double). Use it to compare a policy's
    /// assignment with the optimum of <see cref="Balanced"/> on the same scores.
    /// </summary>
    /// <param name="scores">The row-major <c>[tokens, E]</c> scores the batch was routed with (or any of that shape).</param>
    /// <param name="workspace">The routed batch.</param>
    /// <exception cref="ArgumentException">The scores do not have the batch's <c>tokens · E</c> entries.</exception>
    public static double RoutedScore(ReadOnlySpan<float> scores, GateWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        int experts = workspace.Experts;
        if (scores.Length != (long)workspace.Tokens * experts)
        {
            throw new ArgumentException(
                $"scores must hold tokens · E = {(long)workspace.Tokens * experts} entries for the last batch; got {scores.Length}.", nameof(scores));
        }

        ReadOnlySpan<int> routes = workspace.Routes;
        int k = workspace.K;
        double total = 0;
        for (int s = 0; s < routes.Length; s++)
        {
            int e = routes[s];
            if (e >= 0)
            {
                total += scores[s / k * experts + e];
            }
        }

        return total;
    }
}
