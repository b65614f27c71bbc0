namespace PhaseRouter.Gating;

/// <summary>
/// The exact solver behind <see cref="GateRouting.Balanced"/>: a maximum-weight transportation problem (tokens with k
/// units each, experts with capacity C, every token–expert edge of capacity 1) solved by successive shortest paths on
/// the small expert graph. Tokens are added one unit at a time; a unit's augmenting path starts at its token, enters
/// an expert e1 it does not hold, and continues through experts a → b, each step moving one token u from a to b
/// (u holds a, not b), until it reaches an expert with room. The cost of the step a → b is the loss
/// <c>min_u (w_ua − w_ub)</c>, read from a heap per expert pair (keys do not depend on the prices; stale entries are
/// skipped when they reach the top). Dijkstra with per-expert prices (the duals of the capacities) keeps every reduced
/// cost non-negative, so each augmentation is a shortest path and the flow stays optimal for the units placed so far.
/// When <c>E · C &lt; tokens · k</c>, k drop nodes with unlimited capacity and a gain far below every logit stand for
/// dropped slots: the solution then routes the largest number of slots and, among those, the largest total.
/// </summary>
/// <remarks>Not thread-safe; one per <see cref="GateWorkspace"/>. Its buffers grow to the largest batch and stay.</remarks>
internal sealed class BalancedAssignment
{
    private struct Entry
    {
        public double Key;
        public int Token;
    }

    private Entry[][] _heaps = [];
    private int[] _heapCounts = [];
    private bool[] _holds = [];
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
        if (_heaps.Length < pairs)
        {
            Array.Resize(ref _heaps, pairs);
            Array.Resize(ref _heapCounts, pairs);
        }

        for (int p = 0; p < pairs; p++)
        {
            _heaps[p] ??= [];
        }

        _heapCounts.AsSpan(0, pairs).Clear();
        GateWorkspace.Ensure(ref _holds, tokens * n).AsSpan(0, tokens * n).Clear();
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
        ReadOnlySpan<bool> held = _holds.AsSpan(token * n, n);
        double best = double.NegativeInfinity;
        for (int x = 0; x < n; x++)
        {
            if (!held[x])
            {
                best = Math.Max(best, Gain(token, x) - _prices[x]);
            }
        }

        for (int x = 0; x < n; x++)
        {
            settled[x] = false;
            predNode[x] = -1;
            dist[x] = held[x] ? double.PositiveInfinity : best - (Gain(token, x) - _prices[x]);
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

        if (++_loads[target] == CapacityOf(target))
        {
            Index(target); // from now on a path may leave it; the moves and the join below push their own entries
        }

        int node = target;
        while (predNode[node] >= 0)
        {
            int from = predNode[node];
            Move(predToken[node], from, node);
            node = from;
        }

        Join(token, node);
    }

    /// <summary>The first valid token of pair (a, b)'s heap (it holds a and not b), dropping stale ones; -1 when none.</summary>
    private int Top(int a, int b, out double key)
    {
        int pair = a * _nodes + b;
        Entry[] heap = _heaps[pair];
        while (_heapCounts[pair] > 0)
        {
            Entry top = heap[0];
            int row = top.Token * _nodes;
            if (_holds[row + a] && !_holds[row + b])
            {
                key = top.Key;
                return top.Token;
            }

            Pop(pair);
        }

        key = 0;
        return -1;
    }

    /// <summary>Token u now holds node a: it becomes a candidate to leave a for every node it does not hold.</summary>
    private void Join(int u, int a)
    {
        int n = _nodes;
        int row = u * n;
        _holds[row + a] = true;
        if (!_indexed[a])
        {
            return;
        }

        double gain = Gain(u, a);
        for (int b = 0; b < n; b++)
        {
            if (!_holds[row + b])
            {
                Push(a * n + b, gain - Gain(u, b), u);
            }
        }
    }

    /// <summary>Token u leaves a for b; a is then a node it could move to again from any node it holds.</summary>
    private void Move(int u, int a, int b)
    {
        int n = _nodes;
        int row = u * n;
        _holds[row + a] = false;
        Join(u, b);
        double gainA = Gain(u, a);
        for (int x = 0; x < n; x++)
        {
            if (_holds[row + x] && _indexed[x])
            {
                Push(x * n + a, Gain(u, x) - gainA, u);
            }
        }
    }

    /// <summary>
    /// Builds the heaps (a, ·) of an expert that has just become full: only a full expert is ever left through a move
    /// (one with room ends a path), so the heaps of an expert are not kept before. One pass over the tokens, then a
    /// bottom-up heapify per heap.
    /// </summary>
    private void Index(int a)
    {
        int n = _nodes;
        _indexed[a] = true;
        for (int u = 0; u < _tokens; u++)
        {
            int row = u * n;
            if (!_holds[row + a])
            {
                continue;
            }

            double gain = Gain(u, a);
            for (int b = 0; b < n; b++)
            {
                if (!_holds[row + b])
                {
                    Append(a * n + b, gain - Gain(u, b), u);
                }
            }
        }

        for (int b = 0; b < n; b++)
        {
            int pair = a * n + b;
            Entry[] heap = _heaps[pair];
            int count = _heapCounts[pair];
            for (int i = (count >> 1) - 1; i >= 0; i--)
            {
                SiftDown(heap, count, i, heap[i]);
            }
        }
    }

    private void Append(int pair, double key, int token)
    {
        ref Entry[] heap = ref _heaps[pair];
        int i = _heapCounts[pair]++;
        if (i == heap.Length)
        {
            Array.Resize(ref heap, Math.Max(16, heap.Length * 2));
        }

        heap[i] = new Entry { Key = key, Token = token };
    }

    private static bool Less(in Entry x, in Entry y) => x.Key < y.Key || (x.Key == y.Key && x.Token < y.Token);

    private void Push(int pair, double key, int token)
    {
        ref Entry[] heap = ref _heaps[pair];
        int i = _heapCounts[pair]++;
        if (i == heap.Length)
        {
            Array.Resize(ref heap, Math.Max(16, heap.Length * 2));
        }

        var entry = new Entry { Key = key, Token = token };
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Less(entry, heap[parent]))
            {
                break;
            }

            heap[i] = heap[parent];
            i = parent;
        }

        heap[i] = entry;
    }

    private void Pop(int pair)
    {
        int count = --_heapCounts[pair];
        if (count > 0)
        {
            Entry[] heap = _heaps[pair];
            SiftDown(heap, count, 0, heap[count]);
        }
    }

    /// <summary>Places <paramref name="value"/> at <paramref name="i"/> or below, restoring the heap order among the first <paramref name="count"/> entries.</summary>
    private static void SiftDown(Entry[] heap, int count, int i, Entry value)
    {
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && Less(heap[child + 1], heap[child]))
            {
                child++;
            }

            if (!Less(heap[child], value))
            {
                break;
            }

            heap[i] = heap[child];
            i = child;
        }

        heap[i] = value;
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
                if (_holds[t * n + e])
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
