namespace PhaseRouter.Evaluation.Tests;

public class CommandLineTests
{
    [Theory]
    [InlineData("test", "--n", "0")]
    [InlineData("test", "--k", "-3")]
    [InlineData("test", "--n", "abc")]
    [InlineData("sweep", "--trials", "0")]
    [InlineData("sweep", "--n-values", "256", "0")]
    [InlineData("vs-hash", "--k-values", "-1")]
    [InlineData("nonsense")]
    [InlineData("matrix", "--unknown-option")]
    public async Task BadArguments_PrintOnStderr_AndExitNonZero(params string[] args)
    {
        using var dir = new TempDirectory();
        (int code, string error, _) = await Cli.Run([.. args, "--out", dir.Path]);
        Assert.NotEqual(0, code);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.DoesNotContain("   at ", error); // no stack trace
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("test", "--n", "16", "--k", "17", "--k")]
    [InlineData("matrix", "--n", "32", "--k", "64", "--k")]
    [InlineData("vs-hash", "--n", "64", "--k-values", "65", "--k-values")]
    [InlineData("pipeline", "--n", "600", "--k", "8", "--n")]
    public async Task RefusedCombinations_NameTheOption_OnStderr(string command, string o1, string v1, string o2, string v2, string named)
    {
        using var dir = new TempDirectory();
        (int code, string error, _) = await Cli.Run(command, o1, v1, o2, v2, "--out", dir.Path);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Help_ListsEverySubcommand()
    {
        (int code, _, string output) = await Cli.Run("--help");
        Assert.Equal(0, code);
        foreach (string name in new[] { "test", "pipeline", "sweep", "vs-hash", "matrix", "capacity", "all" })
        {
            Assert.Contains(name, output, StringComparison.Ordinal);
        }
    }
}
