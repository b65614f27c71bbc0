using System.Text.Json;
using PhaseRouter.Evaluation.Suites;

namespace PhaseRouter.Evaluation.Tests;

public class SubcommandTests
{
    [Fact]
    public async Task Test_WritesValidMetrics_ThatAddUp()
    {
        using var dir = new TempDirectory();
        (int code, string error, _) = await Cli.Run("test", "--n", "64", "--k", "8", "--out", dir.Path);
        Assert.True(code == 0, error);
        using JsonDocument doc = OutputFiles.Json(dir.File("test/metrics.json"));
        JsonElement m = doc.RootElement;
        Assert.Equal(64, m.GetProperty("N").GetInt32());
        Assert.True(m.GetProperty("validation").GetProperty("valid").GetBoolean());
        Assert.True(m.GetProperty("validation").GetProperty("routes_are_candidates").GetBoolean());
        long active = m.GetProperty("fill").GetProperty("active_routes").GetInt64();
        Assert.Equal(64 * 8, m.GetProperty("fill").GetProperty("total_capacity").GetInt64());
        Assert.Equal(active / 512.0, m.GetProperty("fill").GetProperty("fill_ratio").GetDouble(), 12);

        // Column and row means are the same routes counted two ways.
        Assert.Equal(active / 64.0, m.GetProperty("columns").GetProperty("col_mean").GetDouble(), 12);
        Assert.Equal(active / 64.0, m.GetProperty("rows").GetProperty("row_mean").GetDouble(), 12);
        Assert.True(m.GetProperty("rows").GetProperty("row_max").GetInt32() <= 8);
        OutputFiles.Markdown(dir.File("test/test.md"));
        Assert.Equal(11, OutputFiles.GifFrames(dir.File("test/pipeline/phase_router_pipeline.gif")));
    }

    [Fact]
    public async Task Pipeline_WritesElevenPictures_AndItsCandidatesAreTheRouters()
    {
        using var dir = new TempDirectory();
        (int code, string error, _) = await Cli.Run("pipeline", "--n", "16", "--k", "6", "--out", dir.Path);
        Assert.True(code == 0, error);
        using JsonDocument doc = OutputFiles.Json(dir.File("pipeline/pipeline.json"));
        Assert.True(doc.RootElement.GetProperty("candidates_match_router").GetBoolean());
        JsonElement pictures = doc.RootElement.GetProperty("pictures");
        Assert.Equal(11, pictures.GetArrayLength());
        foreach (JsonElement p in pictures.EnumerateArray())
        {
            OutputFiles.Png(dir.File("pipeline/" + p.GetString()));
        }

        Assert.Equal(11, OutputFiles.GifFrames(dir.File("pipeline/phase_router_pipeline.gif")));
    }

    [Fact]
    public async Task Sweep_WritesOneCsvRowPerTrial_SkippingKAboveN()
    {
        using var dir = new TempDirectory();
        (int code, string error, _) = await Cli.Run("sweep", "--n-values", "32", "64", "--k-values", "8", "48", "--trials", "2", "--quick",
            "--out", dir.Path);
        Assert.True(code == 0, error);
        string[][] rows = OutputFiles.Csv(dir.File("sweep/summary.csv"));

        // (32, 8), (64, 8), (64, 48); (32, 48) is skipped as k > N.
        Assert.Equal(1 + 3 * 2, rows.Length);
        int valid = Array.IndexOf(rows[0], "valid");
        Assert.All(rows.Skip(1), r => Assert.Equal("true", r[valid]));
        using JsonDocument repro = OutputFiles.Json(dir.File("sweep/reproducibility/reproducibility_result.json"));
        Assert.True(repro.RootElement.GetProperty("all_identical").GetBoolean());
        string tables = OutputFiles.Markdown(dir.File("sweep/tables/summary_tables.md"));
        Assert.Contains("Table 4 – SPEC §5 timing", tables, StringComparison.Ordinal);
        OutputFiles.Png(dir.File("sweep/figures/column_skew_vs_N.png"));
    }

    [Fact]
    public async Task Sweep_WithoutLists_RunsTheQuickDefaults()
    {
        using var dir = new TempDirectory();
        (int code, string error, _) = await Cli.Run("sweep", "--quick", "--out", dir.Path);
        Assert.True(code == 0, error);
        int configs = SweepSuite.QuickN.Sum(n => SweepSuite.QuickK.Count(k => k <= n));
        Assert.Equal(1 + configs * SuiteSizes.Quick.SweepTrials, OutputFiles.Csv(dir.File("sweep/summary.csv")).Length);
    }

    [Fact]
    public async Task VsHash_WritesBothTests_WithTheOriginalsFiguresBeside()
    {
        using var dir = new TempDirectory();
        (int code, string error, _) = await Cli.Run("vs-hash", "--n", "256", "--k-values", "16", "64", "--two-phase-k-values", "64",
            "--out", dir.Path);
        Assert.True(code == 0, error);
        Assert.Equal(3, OutputFiles.Csv(dir.File("vs_hash/single_phase/single_phase_results.csv")).Length);
        string[][] two = OutputFiles.Csv(dir.File("vs_hash/two_phase_adversarial/two_phase_adversarial_results.csv"));
        Assert.Equal(2, two.Length);
        string summary = OutputFiles.Markdown(dir.File("vs_hash/two_phase_adversarial/phase_router_summary.md"));
        Assert.Contains("30.88", summary, StringComparison.Ordinal); // the original's phase-2 skew at k = 64
        Assert.Contains("Machine (ours)", summary, StringComparison.Ordinal);
        OutputFiles.Png(dir.File("vs_hash/plots/phase2_column_load_k64__hash_router__N256.png"));
    }

    [Fact]
    public async Task Matrix_GivesEveryTestAVerdict()
    {
        using var dir = new TempDirectory();
        (int code, string error, _) = await Cli.Run("matrix", "--n", "128", "--k", "24", "--out", dir.Path);
        Assert.True(code == 0, error);
        string[][] rows = OutputFiles.Csv(dir.File("matrix/results/phase_router_test_matrix.csv"));
        Assert.Equal(11, rows.Length);
        int verdict = Array.IndexOf(rows[0], "verdict");
        Assert.All(rows.Skip(1), r => Assert.True(r[verdict] is "PASS" or "FAIL", r[verdict]));
        Assert.Equal(10 + 1, Directory.GetFiles(dir.File("matrix/results"), "*.md").Length);
    }

    [Fact]
    public void Matrix_DeterministicTests_Pass_AtTheOriginalsLoad()
    {
        // Seed reproducibility and k = N hold at any size; they must pass.
        IReadOnlyList<MatrixTest> tests = MatrixSuite.RunAll(64, 16, 1);
        Assert.True(tests.Single(t => t.Name == "Seed Reproducibility").Passed);
        Assert.True(tests.Single(t => t.Name == "Edge-Case k Values").Passed);
        Assert.Equal(10, tests.Select(t => t.Name).Distinct().Count());
    }
}
