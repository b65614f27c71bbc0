using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

/// <summary>A gate called from several threads at once routes every call correctly (see the remarks of <see cref="MoeGate"/>).</summary>
public sealed class ConcurrencyTests
{
    private const int ModelDim = 8;

    [Fact]
    public void ConcurrentEvalCalls_EachGiveTheSequentialRoutes()
    {
        var options = new MoeGateOptions { Experts = 6, K = 2, CapacityFactor = 1.0, BaseSeed = 9, MenuSize = 4 };
        foreach (var (name, gate) in TestGates.AllGates(ModelDim, options))
        {
            using (gate)
            {
                TestGates.MakeAdversarial(gate);
                gate.eval();
                // Batches of different sizes, so a shared buffer would show up as a wrong route.
                Tensor[] inputs = [.. Enumerable.Range(0, 8).Select(i => TestGates.PositiveTokens(30 + 17 * i, ModelDim, seed: i))];
                long[][] expected = [.. inputs.Select(x => Routes(gate, x))];
                var got = new long[80][];
                Parallel.For(0, 80, new ParallelOptions { MaxDegreeOfParallelism = 8 }, call => got[call] = Routes(gate, inputs[call % inputs.Length]));
                for (int call = 0; call < got.Length; call++)
                {
                    Assert.True(expected[call % inputs.Length].SequenceEqual(got[call]), $"{name}: concurrent call {call} routed differently");
                }

                Assert.Equal(8 + 80, gate.Monitor.Count);
                foreach (var x in inputs)
                {
                    x.Dispose();
                }
            }
        }
    }

    [Fact]
    public void ConcurrentTrainingCalls_TakeDistinctSteps_AndRouteWithTheirSeed()
    {
        var options = new MoeGateOptions { Experts = 6, K = 2, CapacityFactor = 1.0, BaseSeed = 100 };
        using var gate = new PhaseRouterGate(ModelDim, options);
        TestGates.MakeAdversarial(gate);
        gate.train();
        using var x = TestGates.PositiveTokens(90, ModelDim);
        var plans = new (ulong Seed, long[] Routes)[40];
        Parallel.For(0, plans.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, call =>
        {
            using var scope = NewDisposeScope();
            using var plan = gate.call(x);
            plans[call] = (plan.Seed, plan.ExpertIndices.data<long>().ToArray());
        });

        Assert.Equal(40, gate.Step);
        Assert.Equal(Enumerable.Range(0, 40).Select(s => 100UL + (ulong)s), plans.Select(p => p.Seed).Order());
        foreach (var (seed, routes) in plans)
        {
            gate.Step = (long)(seed - 100);
            Assert.Equal(routes, Routes(gate, x));
        }
    }

    [Fact]
    public async Task MonitorReadsWhileAnotherThreadRoutes_SeeConsistentSnapshots()
    {
        var options = new MoeGateOptions { Experts = 4, K = 1, CapacityFactor = 1.0, BaseSeed = 5 };
        using var gate = new PhaseRouterGate(ModelDim, options);
        gate.eval();
        gate.Monitor.MaxRecords = 16;
        using var x = TestGates.PositiveTokens(12, ModelDim);
        using var routing = new CancellationTokenSource();
        int routed = 0;
        var router = Task.Run(() =>
        {
            while (!routing.IsCancellationRequested)
            {
                _ = Routes(gate, x);
                Interlocked.Increment(ref routed);
            }
        });

        // Start reading once the router is warm and the monitor is full, so reads and records really overlap.
        while (Volatile.Read(ref routed) < 20 && !router.IsCompleted)
        {
            await Task.Delay(5);
        }

        // Enumerating a live queue while another thread records throws "Collection was modified"; snapshots never do.
        int reads = 0;
        try
        {
            while (reads < 200 && !router.IsCompleted)
            {
                var records = gate.Monitor.Records;
                Assert.True(records.Count <= 16, $"snapshot holds {records.Count} records, more than MaxRecords 16");
                foreach (var record in records)
                {
                    // A slow reader: the router records several batches while one snapshot is walked.
                    Thread.SpinWait(5_000);
                    Assert.Equal(12, record.Loads.Sum() + record.DroppedSlots);
                }

                Assert.All(gate.Monitor.LoadMatrix(), loads => Assert.Equal(4, loads.Length));
                Assert.All(gate.Monitor.DemandMatrix(), demand => Assert.Equal(4, demand.Length));
                reads++;
            }
        }
        finally
        {
            await routing.CancelAsync();
            await router;
        }

        Assert.Equal(200, reads);
        Assert.True(routed > 20, $"the router recorded only {routed} batches while the monitor was read");
    }

    private static long[] Routes(MoeGate gate, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var plan = gate.call(x);
        return plan.ExpertIndices.data<long>().ToArray();
    }
}
