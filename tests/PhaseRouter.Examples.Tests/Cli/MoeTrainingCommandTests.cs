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
        Assert.Equal(GateCatalog.All.Select(g => g.Name), s.Gates);
        Assert.Contains("phase", s.Gates);
        Assert.Contains("softmax", s.Gates);
        Assert.Contains("hash", s.Gates);
        Assert.Equal([42], s.Seeds);
        Assert.Equal(42, s.Seed);
        Assert.Equal(GatePolicy.Spill, s.Policy);
        Assert.Equal(4, s.Depth);
        Assert.Equal(4, s.Heads);
        Assert.Equal(2, s.MoeEvery);
        Assert.Equal(7, s.PatchSize);
        Assert.Equal(25_600, s.TrainPerEpoch);
        Assert.Equal(1, s.Threads);
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
            "--capacity-factor", "1.25", "--menu-size", "6", "--batch-size", "32", "--seeds", "7", "--threads", "1",
            "--out", "somewhere", "--data-dir", Path.GetTempPath(), "--dataset", "synthetic",
            "--train-samples", "500", "--test-samples", "100", "--train-per-epoch", "300", "--depth", "6", "--heads", "2",
            "--moe-every", "3", "--patch-size", "4", "--model-dim", "32", "--hidden-dim", "48", "--learning-rate", "0.01");

        Assert.True(code == 0, error);
        Assert.NotNull(s);
        Assert.Equal(["softmax"], s.Gates);
        Assert.Equal(GatePolicy.Menu, s.Policy);
        Assert.Equal(3, s.Epochs);
        Assert.Equal(16, s.Experts);
        Assert.Equal(2, s.K);
        Assert.Equal(1.25, s.CapacityFactor);
        Assert.Equal(6, s.MenuSize);
        Assert.Equal(32, s.BatchSize);
        Assert.Equal(7, s.Seed);
        Assert.Equal([7], s.Seeds);
        Assert.Equal(1, s.Threads);
        Assert.Equal("somewhere", s.OutputDirectory);
        Assert.Equal(Path.GetTempPath(), s.DataDirectory);
        Assert.Equal(DatasetKind.Synthetic, s.Dataset);
        Assert.Equal(500, s.TrainSamples);
        Assert.Equal(100, s.TestSamples);
        Assert.Equal(300, s.TrainPerEpoch);
        Assert.Equal(6, s.Depth);
        Assert.Equal(2, s.Heads);
        Assert.Equal(3, s.MoeEvery);
        Assert.Equal(4, s.PatchSize);
        Assert.Equal(32, s.ModelDim);
        Assert.Equal(48, s.HiddenDim);
        Assert.Equal(0.01, s.LearningRate);
    }

    [Theory]
    [InlineData("phase,softmax", new[] { "phase", "softmax" })]
    [InlineData(" hash , phase ", new[] { "hash", "phase" })]
    [InlineData("softmax,softmax", new[] { "softmax" })]
    [InlineData("phase-menu,phase-spill", new[] { "phase-menu", "phase-spill" })]
    public async Task GateList_IsSplitAndDeduplicated(string value, string[] expected)
    {
        var (code, s, _, error) = await Invoke("--gate", value);
        Assert.True(code == 0, error);
        Assert.Equal(expected, s!.Gates);
    }

    [Fact]
    public async Task GateList_ExpandsAllInPlace()
    {
        var (code, s, _, error) = await Invoke("--gate", "hash,all");
        Assert.True(code == 0, error);
        Assert.Equal(["hash", .. GateCatalog.All.Select(g => g.Name).Where(n => n != "hash")], s!.Gates);
    }

    [Fact]
    public async Task Seeds_AreAListAndSeedIsItsAlias()
    {
        var (code, s, _, error) = await Invoke("--seeds", "42,1, 2");
        Assert.True(code == 0, error);
        Assert.Equal([42, 1, 2], s!.Seeds);
        Assert.Equal(42, s.Seed);

        var (aliasCode, alias, _, _) = await Invoke("--seed", "9");
        Assert.Equal(0, aliasCode);
        Assert.Equal([9], alias!.Seeds);
    }

    [Theory]
    [InlineData("--seeds", "1,x", "--seeds: 'x' is not an integer seed")]
    [InlineData("--seeds", "3,3", "--seeds: seed 3 is given twice")]
    [InlineData("--seeds", ",", "--seeds names no seed")]
    [InlineData("--gate", "phase,topk", "--gate: unknown gate 'topk'")]
    [InlineData("--gate", ",", "--gate names no gate")]
    [InlineData("--heads", "3", "--heads 3 does not divide --model-dim 64")]
    [InlineData("--moe-every", "5", "--moe-every 5 is larger than --depth 4")]
    [InlineData("--patch-size", "5", "--patch-size 5 does not divide the image side 28")]
    [InlineData("--depth", "0", "--depth must be at least 1")]
    [InlineData("--train-per-epoch", "0", "--train-per-epoch must be at least 1")]
    public async Task InvalidListOrShape_IsRejected(string option, string value, string expected)
    {
        var (code, s, _, error) = await Invoke(option, value);

        Assert.NotEqual(0, code);
        Assert.Null(s);
        Assert.Contains(expected, error, StringComparison.Ordinal);
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
        var gate = GateCatalog.Get(Assert.Single(s!.Gates));
        Assert.True(gate.IsPhase);
        Assert.Equal(policy, gate.PolicyFor(s));
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
        foreach (var option in new[]
                 {
                     "--gate", "--seeds", "--policy", "--epochs", "--experts", "--k", "--capacity-factor", "--menu-size", "--batch-size",
                     "--threads", "--out", "--data-dir", "--dataset", "--depth", "--heads", "--moe-every", "--patch-size", "--train-per-epoch",
                 })
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
