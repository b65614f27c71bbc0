namespace PhaseRouter.Soak;

/// <summary>The soak's settings, as given on the command line.</summary>
/// <param name="Seconds">Time budget: no training starts after it (a running one finishes its step, then stops).</param>
/// <param name="MaxTrainings">Stop after this many trainings (0: only the time budget).</param>
/// <param name="Gen0Size">Value of <c>DOTNET_GCgen0size</c> the soak runs under (hex, e.g. <c>0x10000</c>), or empty for the runtime's default.</param>
/// <param name="CollectEvery">A forced full <c>GC.Collect()</c> + <c>GC.WaitForPendingFinalizers()</c> after every this many training steps (0: never).</param>
/// <param name="GcThread">A background thread forcing collections and running finalizers continuously, so a collection can land while the training thread is inside a native call.</param>
/// <param name="CollectorPauseMilliseconds">The collector thread's sleep between two collections (0: it only yields).</param>
/// <param name="BurnCpu">A second process keeping every core busy for the duration.</param>
/// <param name="TorchAdam">Train with TorchSharp's own <c>optim.Adam</c> instead of the example's optimizer (reproduces the upstream bug).</param>
/// <param name="StopOnFailure">Stop at the first failed training instead of counting failures.</param>
internal sealed record SoakOptions(
    int Seconds,
    int MaxTrainings,
    string Gen0Size,
    int CollectEvery,
    bool GcThread,
    int CollectorPauseMilliseconds,
    bool BurnCpu,
    bool TorchAdam,
    bool StopOnFailure);
