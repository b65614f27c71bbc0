using PhaseRouter.Examples.MoeTraining.Cli;
using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.Examples.MoeTraining.Training;
using PhaseRouter.TorchSharp;

namespace PhaseRouter.Examples.Tests.Cli;

public sealed class MoeTrainingCommandTests
{
    private static async Task<(int Code, ExperimentSettings? Settings, string Output, string Error)> Invoke(params string[] args)
    {
        ExperimentSettings? captured = null;
        var command = new MoeTrainingCommand((s, _) =>
        {
            captured = s;
            return Task.FromResult(0);
        });
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await command.InvokeAsync(args, output, error);
        return (code, captured, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Defaults_MatchTheDocumentedRun()
    {
        var (code, s, _, error) = await Invoke();

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.NotNull(s);
        Assert.Equal([GateKind.Phase, GateKind.Softmax, GateKind.Hash], s.Gates);
        Assert.Equal(GatePolicy.Spill, s.Policy);
        Assert.Equal(2, s.Epochs);
        Assert.Equal(8, s.Experts);
        Assert.Equal(1, s.K);
        Assert.Equal(1.0, s.CapacityFactor);
        Assert.Equal(4, s.MenuSize);
        Assert.Equal("results", s.OutputDirectory);
        Assert.Equal(DatasetKind.Auto, s.Dataset);
        Assert.Null(s.DataDirectory);
    }

    [Fact]
    public async Task EveryOption_IsMapped()
    {
        var (code, s, _, error) = await Invoke(
            "--gate", "softmax", "--policy", "menu", "--epochs", "3", "--experts", "16", "--k", "2",
            "--capacity-factor", "1.25", "--menu-size", "6", "--batch-size", "32", "--seed", "7", "--threads", "1",
            "--out", "somewhere", "--data-dir", Path.GetTempPath(), "--dataset", "synthetic",
            "--train-samples", "500", "--test-samples", "100");

        Assert.True(code == 0, error);
        Assert.NotNull(s);
        Assert.Equal([GateKind.Softmax], s.Gates);
        Assert.Equal(GatePolicy.Menu, s.Policy);
        Assert.Equal(3, s.Epochs);
        Assert.Equal(16, s.Experts);
        Assert.Equal(2, s.K);
        Assert.Equal(1.25, s.CapacityFactor);
        Assert.Equal(6, s.MenuSize);
        Assert.Equal(32, s.BatchSize);
        Assert.Equal(7, s.Seed);
        Assert.Equal(1, s.Threads);
        Assert.Equal("somewhere", s.OutputDirectory);
        Assert.Equal(Path.GetTempPath(), s.DataDirectory);
        Assert.Equal(DatasetKind.Synthetic, s.Dataset);
        Assert.Equal(500, s.TrainSamples);
        Assert.Equal(100, s.TestSamples);
    }

    [Theory]
    [InlineData("fashion-mnist", DatasetKind.FashionMnist)]
    [InlineData("auto", DatasetKind.Auto)]
    public async Task Dataset_Values(string value, DatasetKind expected)
    {
        var (code, s, _, _) = await Invoke("--dataset", value);
        Assert.Equal(0, code);
        Assert.Equal(expected, s!.Dataset);
    }

    [Fact]
    public async Task MenuSize_DefaultsToAtLeastK()
    {
        var (_, s, _, _) = await Invoke("--experts", "2", "--k", "2");
        Assert.Equal(2, s!.MenuSize);
        Assert.Equal(6, MoeTrainingCommand.DefaultMenuSize(6, 8));
    }

    [Theory]
    [InlineData(new[] { "--gate", "phase-packed" }, GatePolicy.Packed)]
    [InlineData(new[] { "--gate", "phase-menu" }, GatePolicy.Menu)]
    [InlineData(new[] { "--gate", "phase", "--policy", "packed" }, GatePolicy.Packed)]
    [InlineData(new[] { "--gate", "phase-packed", "--policy", "packed" }, GatePolicy.Packed)]
    public async Task PhaseGateWithAPolicy_IsThePhaseGateWithThatPolicy(string[] args, GatePolicy policy)
    {
        var (code, s, _, error) = await Invoke(args);
        Assert.True(code == 0, error);
        Assert.Equal([GateKind.Phase], s!.Gates);
        Assert.Equal(policy, s.Policy);
    }

    [Fact]
    public async Task GatePolicyAndAnotherPolicy_AreRejected()
    {
        var (code, s, _, error) = await Invoke("--gate", "phase-packed", "--policy", "menu");
        Assert.Equal(1, code);
        Assert.Null(s);
        Assert.Contains("--gate phase-packed names the policy packed but --policy is menu", error);
    }

    [Theory]
    [InlineData("--gate", "topk", "topk")]
    [InlineData("--policy", "greedy", "greedy")]
    [InlineData("--dataset", "mnist", "mnist")]
    [InlineData("--epochs", "0", "--epochs must be at least 1")]
    [InlineData("--epochs", "two", "two")]
    [InlineData("--experts", "0", "--experts must be at least 1")]
    [InlineData("--k", "0", "--k must be at least 1")]
    [InlineData("--capacity-factor", "0", "--capacity-factor must be a positive finite number")]
    [InlineData("--capacity-factor", "-1.5", "--capacity-factor must be a positive finite number")]
    [InlineData("--capacity-factor", "NaN", "--capacity-factor must be a positive finite number")]
    [InlineData("--batch-size", "0", "--batch-size must be at least 1")]
    [InlineData("--threads", "0", "--threads must be at least 1")]
    [InlineData("--menu-size", "0", "--menu-size must be at least 1")]
    [InlineData("--train-samples", "-3", "--train-samples must be at least 1")]
    [InlineData("--seed", "1.5", "1.5")]
    [InlineData("--experts", "many", "many")]
    [InlineData("--data-dir", "/definitely/not/here", "--data-dir /definitely/not/here does not exist")]
    public async Task InvalidValue_IsRejectedWithMessageAndNonZeroExit(string option, string value, string expected)
    {
        var (code, s, _, error) = await Invoke(option, value);

        Assert.NotEqual(0, code);
        Assert.Null(s);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KAboveExperts_IsRejected()
    {
        var (code, s, _, error) = await Invoke("--experts", "4", "--k", "5");
        Assert.NotEqual(0, code);
        Assert.Null(s);
        Assert.Contains("--k 5 is larger than --experts 4", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("9")]
    public async Task MenuSizeOutsideKToE_IsRejected(string menu)
    {
        var (code, _, _, error) = await Invoke("--experts", "8", "--k", "2", "--menu-size", menu);
        Assert.NotEqual(0, code);
        Assert.Contains($"--menu-size {menu} must lie between --k (2) and --experts (8)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_IsRejected()
    {
        var (code, s, _, error) = await Invoke("--expertz", "8");
        Assert.NotEqual(0, code);
        Assert.Null(s);
        Assert.Contains("--expertz", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheOptions()
    {
        var (code, s, output, _) = await Invoke("--help");
        Assert.Equal(0, code);
        Assert.Null(s);
        foreach (var option in new[] { "--gate", "--policy", "--epochs", "--experts", "--k", "--capacity-factor", "--menu-size", "--batch-size", "--seed", "--threads", "--out", "--data-dir", "--dataset" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SeveralInvalidValues_AreAllReported()
    {
        var (code, _, _, error) = await Invoke("--k", "9", "--capacity-factor", "-1", "--gate", "foo", "--menu-size", "12");

        Assert.NotEqual(0, code);
        Assert.Contains("--k 9 is larger than --experts 8", error, StringComparison.Ordinal);
        Assert.Contains("--capacity-factor must be a positive finite number", error, StringComparison.Ordinal);
        Assert.Contains("'foo'", error, StringComparison.Ordinal);
        Assert.Contains("--menu-size 12 must lie between", error, StringComparison.Ordinal);
    }
}
