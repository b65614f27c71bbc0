namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>Sums one MoE block's routing over the test batches into <see cref="BlockTestStats"/>.</summary>
internal sealed class TestAccumulator(int block)
{
    private long[]? _total;
    private double[]? _fullSum;
    private double[]? _allSum;
    private int _fullBatches;
    private int _allBatches;
    private int _maxLoad;
    private int _capacity;
    private long _slots;
    private long _dropped;
    private long _spilled;
    private long _tokens;
    private long _withoutExpert;

    /// <summary>Adds one batch's routing; <paramref name="fullBatch"/> says whether it counts for the mean per-batch load.</summary>
    public void Add(BlockRouting routing, bool fullBatch)
    {
        int experts = routing.Loads.Length;
        _total ??= new long[experts];
        _fullSum ??= new double[experts];
        _allSum ??= new double[experts];
        for (int e = 0; e < experts; e++)
        {
            _total[e] += routing.Loads[e];
            _allSum[e] += routing.Loads[e];
            if (fullBatch)
            {
                _fullSum[e] += routing.Loads[e];
            }
        }

        _allBatches++;
        _fullBatches += fullBatch ? 1 : 0;
        _maxLoad = Math.Max(_maxLoad, routing.Loads.DefaultIfEmpty(0).Max());
        _capacity = Math.Max(_capacity, routing.Capacity);
        _slots += routing.Slots;
        _dropped += routing.DroppedSlots;
        _spilled += routing.SpilledSlots;
        _tokens += routing.Tokens;
        _withoutExpert += routing.TokensWithoutExpert;
    }

    /// <summary>The block's statistics; the mean load is over the full batches (over the partial one when there is no full batch).</summary>
    public BlockTestStats Result()
    {
        double[] perExpert = _fullBatches > 0
            ? [.. _fullSum!.Select(v => v / _fullBatches)]
            : _allSum?.Select(v => v / _allBatches).ToArray() ?? [];
        long[] total = _total ?? [];
        return new BlockTestStats(
            block, perExpert, total, _maxLoad, _capacity, _slots, _dropped, _spilled, _tokens, _withoutExpert, RoutingMetrics.MaxVio(total));
    }
}
