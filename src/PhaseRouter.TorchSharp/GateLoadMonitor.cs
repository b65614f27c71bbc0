namespace PhaseRouter.TorchSharp;

/// <summary>
/// Records, for each batch a gate routes, the per-expert loads and uncapped demand, the capacity and the dropped slots as plain arrays,
/// for capacity planning. Keeps the most recent <see cref="MaxRecords"/> batches. Recording and reading are thread-safe (a gate may
/// be called from several threads, and a training loop may read while another thread routes): every read returns a snapshot
/// taken under the same lock the recording uses.
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

    /// <summary>The recorded batches, oldest first (a snapshot: later batches do not change it).</summary>
    public IReadOnlyCollection<GateLoadRecord> Records => Snapshot();

    /// <summary>Number of recorded batches.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>Per-batch expert loads, oldest first: <c>[batches][E]</c> (copies).</summary>
    public int[][] LoadMatrix() => Array.ConvertAll(Snapshot(), r => (int[])r.Loads.Clone());

    /// <summary>
    /// Per-batch uncapped expert demand (each expert's count among the tokens' k choices before capacity, see
    /// <see cref="RoutingPlan.ExpertDemand"/>), oldest first: <c>[batches][E]</c> (copies).
    /// </summary>
    public int[][] DemandMatrix() => Array.ConvertAll(Snapshot(), r => (int[])r.Demand.Clone());

    /// <summary>Per-batch capacities, oldest first.</summary>
    public int[] Capacities() => Array.ConvertAll(Snapshot(), r => r.Capacity);

    /// <summary>Per-batch dropped slots, oldest first.</summary>
    public long[] DroppedSlots() => Array.ConvertAll(Snapshot(), r => (long)r.DroppedSlots);

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

    // Records are immutable once made, so copying the queue's references under the lock is a consistent snapshot.
    private GateLoadRecord[] Snapshot()
    {
        lock (_lock)
        {
            return _records.ToArray();
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
