using System.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

public sealed class ScalarSafeAdamTests
{
    public static TheoryData<double, bool, bool> Settings => new()
    {
        { 0.0, false, false },
        { 0.01, false, false },
        { 0.01, true, false },
        { 0.0, false, true },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void UpdatesEqualTorchSharpsAdamBitForBit(double weightDecay, bool amsgrad, bool maximize)
    {
        var expected = WithoutCollections(() =>
            Train((parameters, lr) => optim.Adam(parameters, lr, weight_decay: weightDecay, amsgrad: amsgrad, maximize: maximize)));
        var actual = Train((parameters, lr) => new ScalarSafeAdam(parameters, lr, weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize));
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void FollowsALearningRateScheduler()
    {
        var expected = WithoutCollections(() => Train((parameters, lr) => optim.Adam(parameters, lr), schedule: true));
        var actual = Train((parameters, lr) => new ScalarSafeAdam(parameters, lr), schedule: true);
        var unscheduled = Train((parameters, lr) => new ScalarSafeAdam(parameters, lr), schedule: false);
        Assert.Equal(expected, actual);
        Assert.NotEqual(unscheduled, actual);
    }

    [Fact]
    public void SkipsParametersWithoutAGradient()
    {
        using var used = nn.Linear(4, 2);
        using var unused = nn.Linear(4, 2);
        var before = unused.weight!.detach().clone();
        using var optimizer = new ScalarSafeAdam(used.parameters().Concat(unused.parameters()), 0.1);
        using (NewDisposeScope())
        {
            used.call(ones(3, 4)).sum().backward();
        }

        optimizer.step();
        Assert.True(unused.weight!.detach().allclose(before, rtol: 0, atol: 0));
    }

    [Fact]
    public void RejectsANegativeLearningRate()
    {
        using var linear = nn.Linear(2, 2);
        Assert.ThrowsAny<ArgumentException>(() => new ScalarSafeAdam(linear.parameters(), -1.0));
    }

    /// <summary>
    /// Runs the reference, TorchSharp's own Adam, with no garbage collection: its implicitly converted scalars can be
    /// finalized while libtorch reads them (the bug <see cref="ScalarSafeAdam"/> works around), which once in a while
    /// changes its result. A collection forced by another test ends the region; then the run is repeated.
    /// </summary>
    private static float[] WithoutCollections(Func<float[]> run)
    {
        for (int attempt = 1; attempt <= 10; attempt++)
        {
            Assert.True(GC.TryStartNoGCRegion(64L * 1024 * 1024), "could not start a no-GC region");
            float[] result;
            bool held;
            try
            {
                result = run();
            }
            finally
            {
                held = GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;
                if (held)
                {
                    GC.EndNoGCRegion();
                }
            }

            if (held)
            {
                return result;
            }
        }

        Assert.Fail("Ten no-GC regions in a row were ended by collections.");
        return [];
    }

    /// <summary>
    /// Six steps of a small regression; returns every parameter value, flattened. Weights and data come from a managed
    /// generator, not torch's process-wide one, which tests running in parallel also draw from.
    /// </summary>
    private static float[] Train(Func<IEnumerable<Parameter>, double, optim.Optimizer> create, bool schedule = false)
    {
        var random = new Random(7);
        using var model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3));
        using (no_grad())
        {
            foreach (var p in model.parameters())
            {
                using var values = Values(random, p.shape);
                p.copy_(values);
            }
        }

        using var optimizer = create(model.parameters(), 0.05);
        var scheduler = schedule ? optim.lr_scheduler.CosineAnnealingLR(optimizer, 6, 0.005) : null;
        using var x = Values(random, [16, 5]);
        using var y = Values(random, [16, 3]);
        for (int step = 0; step < 6; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
            scheduler?.step();
        }

        return model.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();
    }

    private static Tensor Values(Random random, long[] shape)
    {
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        // A copy in libtorch's own (aligned) memory: a tensor over a managed array starts wherever the array does, and
        // vectorised kernels split their sums by alignment, so results would differ in the last bit from run to run.
        using var wrapped = tensor(values, shape);
        return wrapped.clone();
    }
}
