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
        var expected = Train((parameters, lr) => optim.Adam(parameters, lr, weight_decay: weightDecay, amsgrad: amsgrad, maximize: maximize));
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
        var expected = Train((parameters, lr) => optim.Adam(parameters, lr), schedule: true);
        var actual = Train((parameters, lr) => new ScalarSafeAdam(parameters, lr), schedule: true);
        var unscheduled = Train((parameters, lr) => new ScalarSafeAdam(parameters, lr), schedule: false);
        Assert.Equal(expected, actual);
        Assert.NotEqual(unscheduled, actual);
    }

    [Fact]
    public void SkipsParametersWithoutAGradient()
    {
        manual_seed(3);
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

    /// <summary>Six steps of a small regression from a fixed seed; returns every parameter value, flattened.</summary>
    private static float[] Train(Func<IEnumerable<Parameter>, double, optim.Optimizer> create, bool schedule = false)
    {
        manual_seed(7);
        using var model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3));
        using var optimizer = create(model.parameters(), 0.05);
        var scheduler = schedule ? optim.lr_scheduler.CosineAnnealingLR(optimizer, 6, 0.005) : null;
        using var x = randn(16, 5);
        using var y = randn(16, 3);
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
}
