using PhaseRouter.Evaluation.Suites;

namespace PhaseRouter.Evaluation.Tests;

public class AllQuickTests
{
    [Fact]
    public async Task AllQuick_WritesEveryPromisedFile_AndEachParses()
    {
        using var dir = new TempDirectory();
        (int code, string error, string console) = await Cli.Run("all", "--quick", "--out", dir.Path);
        Assert.True(code == 0, error + console);
        foreach (string file in AllSuite.PromisedFiles)
        {
            OutputFiles.Parses(dir.File(file));
        }

        string index = OutputFiles.Markdown(dir.File("index.md"));
        foreach (string link in new[] { "test/test.md", "sweep/tables/summary_tables.md", "matrix/results/phase_router_test_matrix.md", "capacity/capacity.md" })
        {
            Assert.Contains($"]({link})", index, StringComparison.Ordinal);
        }
    }
}
