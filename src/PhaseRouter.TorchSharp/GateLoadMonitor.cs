namespace PhaseRouter.TorchSharp;

/// <summary>
/// Records, for each batch a gate routes, the per-expert loads and uncapped demand, the capacity and the dropped slots as plain arrays,
/// for capacity planning. Keeps the most recent <see cref="MaxRecords"/> batches. Recording is thread-safe (a gate may be called
/// from several threads); read the records when no batch is being routed.
/// </summary>
/// <remarks>
/// Lifetime: managed only, no native resource. Owned by its gate; <see cref="Record"/> copies what it keeps out of the
/// plan, so records and the matrices it returns stay valid after the plan is disposed and after the gate is.
/// </remarks>
public sealed class GateLoadMonitor
{
    private readonly Queue<GateLoadRecord> _records = new();
    private readonly Lock _lock = new();
    private int _maxRecords = 4096;

    /// <summary>Whether batches are recorded. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many of the most recent batches are kept (at least 1; default 4096).</summary>
    public int MaxRecords
    {
        get => _maxRecords;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (_lock)
            {
                _maxRecords = value;
                Trim();
            }
        }
    }

    /// <summary>The recorded batches, oldest first.</summary>
    public IReadOnlyCollection<GateLoadRecord> Records => _records;

    /// <summary>Number of recorded batches.</summary>
    public int Count => _records.Count;

    /// <summary>Per-batch expert loads, oldest first: <c>[batches][E]</c> (copies).</summary>
    public int[][] LoadMatrix() => _records.Select(r => (int[])r.Loads.Clone()).ToArray();

    /// <summary>
    /// Per-batch uncapped expert demand (each expert's count among the tokens' k choices before capacity, see
    /// <see cref="RoutingPlan.ExpertDemand"/>), oldest first: <c>[batches][E]</c> (copies).
    /// </summary>
    public int[][] DemandMatrix() => _records.Select(r => (int[])r.Demand.Clone()).ToArray();

    /// <summary>Per-batch capacities, oldest first.</summary>
    public int[] Capacities() => _records.Select(r => r.Capacity).ToArray();

    /// <summary>Per-batch dropped slots, oldest first.</summary>
    public long[] DroppedSlots() => _records.Select(r => (long)r.DroppedSlots).ToArray();

    /// <summary>Forgets every record.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _records.Clear();
        }
    }

    /// <summary>Records one routed batch (does nothing when <see cref="Enabled"/> is off).</summary>
    /// <param name="step">The gate's step counter.</param>
    /// <param name="training">Whether the gate was training.</param>
    /// <param name="plan">The batch's plan.</param>
    public void Record(long step, bool training, RoutingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!Enabled)
        {
            return;
        }

        var record = new GateLoadRecord(step, training, plan.Tokens, plan.K, plan.Capacity, plan.DroppedSlots,
            plan.GetExpertLoads(), plan.GetExpertDemand(), plan.RouterMilliseconds);
        lock (_lock)
        {
            _records.Enqueue(record);
            Trim();
        }
    }

    private void Trim()
    {
        while (_records.Count > _maxRecords)
        {
            _records.Dequeue();
        }
    }
}
