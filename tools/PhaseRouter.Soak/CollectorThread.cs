namespace PhaseRouter.Soak;

/// <summary>
/// A background thread that forces collections and runs finalizers in a loop while the trainings run. A collection
/// can then land while the training thread is inside a native call, which is when an object whose last managed
/// reference died before the call (an implicitly converted <c>Scalar</c>, say) gets finalized under native code's
/// feet. The strongest of the soak's pressures.
/// </summary>
internal sealed class CollectorThread : IDisposable
{
    private readonly Thread _thread;
    private readonly int _pauseMilliseconds;
    private volatile bool _stop;

    /// <summary>Starts the thread; it sleeps <paramref name="pauseMilliseconds"/> between collections (0: only yields).</summary>
    public CollectorThread(int pauseMilliseconds)
    {
        _pauseMilliseconds = pauseMilliseconds;
        _thread = new Thread(Loop) { IsBackground = true, Name = "soak collector" };
        _thread.Start();
    }

    /// <summary>Collections forced so far.</summary>
    public long Collections => Interlocked.Read(ref _collections);

    private long _collections;

    private void Loop()
    {
        while (!_stop)
        {
            // Some garbage of our own, so that gen-0 budgets run out on this thread too.
            _ = new byte[4096];
            GC.Collect(0);
            GC.WaitForPendingFinalizers();
            Interlocked.Increment(ref _collections);
            if (_pauseMilliseconds > 0)
            {
                Thread.Sleep(_pauseMilliseconds);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
