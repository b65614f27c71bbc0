namespace PhaseRouter.Gating;

/// <summary>
/// The exact solver behind <see cref="GateRouting.Balanced"/>: a maximum-weight transportation problem (tokens with k
/// units each, experts with capacity C, every token–expert edge of capacity 1) solved by successive shortest paths on
/// the small expert graph. Tokens are added one unit at a time; a unit's augmenting path starts at its token, enters
/// an expert e1 it does not hold, and continues through experts a → b, each step moving one token u from a to b
/// (u holds a, not b), until it reaches an expert with room. The cost of the step a → b is the loss
/// <c>min_u (w_ua − w_ub)</c> (ties to the lower token), kept exactly per expert pair for the full experts (only a
/// full expert is ever left through a move): a token joining an expert offers itself to its columns, and a column whose
/// best token leaves (or comes to hold the target) is recomputed over the expert's members. Dijkstra with per-expert prices (the duals of the capacities) keeps every reduced
/// cost non-negative, so each augmentation is a shortest path and the flow stays optimal for the units placed so far.
/// When <c>E · C &lt; tokens · k</c>, k drop nodes with unlimited capacity and a gain far below every logit stand for
/// dropped slots: the solution then routes the largest number of slots and, among those, the largest total.
/// </summary>
/// <remarks>Not thread-safe; one per <see cref="GateWorkspace"/>. Its buffers grow to the largest batch and stay.</remarks>
internal sealed class BalancedAssignment
{
    private ulong[] _holds = [];
    private int _words;
    private int[] _bestTokens = [];
    private double[] _bestKeys = [];
    private int[][] _members = [];
    private int[] _memberCounts = [];
    private int[] _memberSlots = [];
    private int[] _loads = [];
    private double[] _prices = [];
    private double[] _dist = [];
    private bool[] _settled = [];
    private int[] _predNode = [];
    private int[] _predToken = [];
    private bool[] _indexed = [];
    private int _tokens;

    private float[] _scores = [];
    private int _experts;
    private int _nodes;
    private int _capacity;
    private double _dropGain;

    /// <summary>Slots that went to a drop node (0 whenever <c>E · C ≥ tokens · k</c>).</summary>
    public int Dropped { get; private set; }

    /// <summary>Solves one batch and writes each token's experts (best score first, then -1 for its dropped slots) into <paramref name="routes"/>.</summary>
    public void Solve(ReadOnlySpan<float> scores, int tokens, int experts, int k, int capacity, Span<int> routes)
    {
        bool feasible = (long)experts * Math.Min(capacity, tokens) >= (long)tokens * k;
        _experts = experts;
        _nodes = experts + (feasible ? 0 : k);
        _capacity = capacity;
        _scores = GateWorkspace.Ensure(ref _scores, scores.Length);
        scores.CopyTo(_scores);
        _dropGain = feasible ? 0 : DropGain(scores, _nodes);
        Reset(tokens);
        for (int t = 0; t < tokens; t++)
        {
            for (int unit = 0; unit < k; unit++)
            {
                PlaceUnit(t);
            }
        }

        Dropped = 0;
        for (int x = experts; x < _nodes; x++)
        {
            Dropped += _loads[x];
        }

        WriteRoutes(tokens, k, routes);
    }

    /// <summary>
    /// A gain for the drop nodes so low that routing one more slot always beats any rearrangement: an augmenting path
    /// visits at most <c>nodes</c> nodes and each of its moves loses at most the score range.
    /// </summary>
    private static double DropGain(ReadOnlySpan<float> scores, int nodes)
    {
        if (scores.IsEmpty)
        {
            return 0;
        }

        double min = double.MaxValue;
        double max = double.MinValue;
        foreach (float s in scores)
        {
            min = Math.Min(min, s);
            max = Math.Max(max, s);
        }

        return min - (nodes + 1) * (max - min + 1);
    }

    private double Gain(int token, int node) => node < _experts ? _scores[token * _experts + node] : _dropGain;

    private int CapacityOf(int node) => node < _experts ? _capacity : int.MaxValue;

    private void Reset(int tokens)
    {
        int n = _nodes;
        int pairs = n * n;
        if (_members.Length < n)
        {
            Array.Resize(ref _members, n);
        }

        for (int x = 0; x < n; x++)
        {
            _members[x] ??= [];
        }

        GateWorkspace.Ensure(ref _memberCounts, n).AsSpan(0, n).Clear();
        _words = (n + 63) >> 6;
        GateWorkspace.Ensure(ref _holds, tokens * _words).AsSpan(0, tokens * _words).Clear();
        GateWorkspace.Ensure(ref _memberSlots, tokens * n);
        GateWorkspace.Ensure(ref _bestTokens, pairs).AsSpan(0, pairs).Fill(-1);
        GateWorkspace.Ensure(ref _bestKeys, pairs);
        GateWorkspace.Ensure(ref _loads, n).AsSpan(0, n).Clear();
        GateWorkspace.Ensure(ref _prices, n).AsSpan(0, n).Clear();
        GateWorkspace.Ensure(ref _dist, n);
        GateWorkspace.Ensure(ref _settled, n);
        GateWorkspace.Ensure(ref _predNode, n);
        GateWorkspace.Ensure(ref _predToken, n);
        GateWorkspace.Ensure(ref _indexed, n).AsSpan(0, n).Clear();
        _tokens = tokens;
    }

    /// <summary>One more unit of <paramref name="token"/> along a shortest augmenting path (Dijkstra over the nodes, dense).</summary>
    private void PlaceUnit(int token)
    {
        int n = _nodes;
        Span<double> dist = _dist.AsSpan(0, n);
        Span<bool> settled = _settled.AsSpan(0, n);
        Span<int> predNode = _predNode.AsSpan(0, n);
        Span<int> predToken = _predToken.AsSpan(0, n);
        // The value of each node at the current prices; the best one (lowest index on ties, as Dijkstra would pick it).
        double best = double.NegativeInfinity;
        int bestNode = -1;
        for (int x = 0; x < n; x++)
        {
            double value = Holds(token, x) ? double.NegativeInfinity : Gain(token, x) - _prices[x];
            dist[x] = value;
            if (value > best)
            {
                best = value;
                bestNode = x;
            }
        }

        if (bestNode >= 0 && _loads[bestNode] < CapacityOf(bestNode))
        {
            // The shortest path is the direct one and no price changes: Dijkstra would settle nothing.
            AddLoad(bestNode);
            Join(token, bestNode);
            return;
        }

        for (int x = 0; x < n; x++)
        {
            settled[x] = false;
            predNode[x] = -1;
            dist[x] = best - dist[x]; // +∞ for the nodes the token holds
        }

        int target = -1;
        while (true)
        {
            int a = -1;
            for (int x = 0; x < n; x++)
            {
                if (!settled[x] && dist[x] < double.PositiveInfinity && (a < 0 || dist[x] < dist[a]))
                {
                    a = x;
                }
            }

            if (a < 0)
            {
                break; // unreachable with the drop nodes present, and for a feasible batch
            }

            if (_loads[a] < CapacityOf(a))
            {
                target = a;
                break;
            }

            settled[a] = true;
            for (int b = 0; b < n; b++)
            {
                if (settled[b] || b == a)
                {
                    continue;
                }

                int u = Top(a, b, out double key);
                if (u >= 0)
                {
                    double candidate = dist[a] + key - _prices[a] + _prices[b];
                    if (candidate < dist[b])
                    {
                        dist[b] = candidate;
                        predNode[b] = a;
                        predToken[b] = u;
                    }
                }
            }
        }

        if (target < 0)
        {
            throw new InvalidOperationException("The balanced assignment found no augmenting path; this is a bug.");
        }

        double reach = dist[target];
        for (int x = 0; x < n; x++)
        {
            if (settled[x])
            {
                _prices[x] += reach - dist[x];
            }
        }

        AddLoad(target);

        int node = target;
        while (predNode[node] >= 0)
        {
            int from = predNode[node];
            Move(predToken[node], from, node);
            node = from;
        }

        Join(token, node);
    }

    /// <summary>One more unit ends at <paramref name="node"/>; when that fills it, its columns are built.</summary>
    private void AddLoad(int node)
    {
        if (++_loads[node] == CapacityOf(node))
        {
            Index(node); // from now on a path may leave it; the moves and the join that follow keep its columns exact
        }
    }

    /// <summary>The token that loses least moving from a to b (it holds a, not b) and that loss; -1 when none.</summary>
    private int Top(int a, int b, out double key)
    {
        int pair = a * _nodes + b;
        key = _bestKeys[pair];
        return _bestTokens[pair];
    }

    private bool Holds(int u, int node) => (_holds[u * _words + (node >> 6)] & (1UL << node)) != 0;

    private void SetHolds(int u, int node, bool value)
    {
        ref ulong word = ref _holds[u * _words + (node >> 6)];
        word = value ? word | (1UL << node) : word & ~(1UL << node);
    }

    /// <summary>Token u now holds node a.</summary>
    private void Join(int u, int a)
    {
        int n = _nodes;
        SetHolds(u, a, true);
        // u can no longer move to a: the columns (x, a) it was best in need another token.
        for (int x = 0; x < n; x++)
        {
            if (_indexed[x] && _bestTokens[x * n + a] == u)
            {
                Recompute(x, a);
            }
        }

        if (!_indexed[a])
        {
            return;
        }

        AddMember(a, u);
        double gain = Gain(u, a);
        for (int b = 0; b < n; b++)
        {
            if (!Holds(u, b))
            {
                Offer(a * n + b, gain - Gain(u, b), u);
            }
        }
    }

    /// <summary>Token u leaves a for b.</summary>
    private void Move(int u, int a, int b)
    {
        int n = _nodes;
        SetHolds(u, a, false);
        if (_indexed[a])
        {
            RemoveMember(a, u);
            for (int y = 0; y < n; y++)
            {
                if (_bestTokens[a * n + y] == u)
                {
                    Recompute(a, y);
                }
            }
        }

        // a is a node u could move to again, from every full node it holds.
        double gainA = Gain(u, a);
        for (int x = 0; x < n; x++)
        {
            if (_indexed[x] && Holds(u, x))
            {
                Offer(x * n + a, Gain(u, x) - gainA, u);
            }
        }

        Join(u, b);
    }

    /// <summary>Builds the columns (a, ·) of an expert that has just become full: its members, then each column's best.</summary>
    private void Index(int a)
    {
        int n = _nodes;
        _indexed[a] = true;
        for (int u = 0; u < _tokens; u++)
        {
            if (Holds(u, a))
            {
                AddMember(a, u);
            }
        }

        for (int b = 0; b < n; b++)
        {
            Recompute(a, b);
        }
    }

    /// <summary>Column (a, b) from scratch: the member of a not holding b with the least loss, ties to the lower token.</summary>
    private void Recompute(int a, int b)
    {
        int pair = a * _nodes + b;
        _bestTokens[pair] = -1;
        if (a == b)
        {
            return;
        }

        ReadOnlySpan<int> members = _members[a].AsSpan(0, _memberCounts[a]);
        foreach (int u in members)
        {
            if (!Holds(u, b))
            {
                Offer(pair, Gain(u, a) - Gain(u, b), u);
            }
        }
    }

    /// <summary>Makes u the best of a column when its loss is lower (or equal, from a lower token).</summary>
    private void Offer(int pair, double key, int u)
    {
        int best = _bestTokens[pair];
        if (best < 0 || key < _bestKeys[pair] || (key == _bestKeys[pair] && u < best))
        {
            _bestTokens[pair] = u;
            _bestKeys[pair] = key;
        }
    }

    private void AddMember(int a, int u)
    {
        ref int[] members = ref _members[a];
        int count = _memberCounts[a]++;
        if (count == members.Length)
        {
            Array.Resize(ref members, Math.Max(16, members.Length * 2));
        }

        members[count] = u;
        _memberSlots[u * _nodes + a] = count;
    }

    private void RemoveMember(int a, int u)
    {
        int[] members = _members[a];
        int count = --_memberCounts[a];
        int slot = _memberSlots[u * _nodes + a];
        int last = members[count];
        members[slot] = last;
        _memberSlots[last * _nodes + a] = slot;
    }

    /// <summary>Each token's real experts, best score first (ties to the lower expert), then -1 for its dropped slots.</summary>
    private void WriteRoutes(int tokens, int k, Span<int> routes)
    {
        int n = _nodes;
        int experts = _experts;
        for (int t = 0; t < tokens; t++)
        {
            Span<int> row = routes.Slice(t * k, k);
            int filled = 0;
            for (int e = 0; e < experts; e++)
            {
                if (Holds(t, e))
                {
                    // Insertion by score: k is small.
                    float score = _scores[t * experts + e];
                    int at = filled++;
                    while (at > 0 && _scores[t * experts + row[at - 1]] < score)
                    {
                        row[at] = row[at - 1];
                        at--;
                    }

                    row[at] = e;
                }
            }

            row[filled..].Fill(-1);
        }
    }
}
