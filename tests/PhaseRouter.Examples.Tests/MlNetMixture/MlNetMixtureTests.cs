using System.Text.Json;
using PhaseRouter.Examples.MlNetMixture;

namespace PhaseRouter.Examples.Tests.MlNetMixture;

/// <summary>
/// The ML.NET comparison example (<c>examples/MlNetMixture</c>) on a few hundred images of the repository's slice:
/// every contender trains and is scored, the summary says so, the phase gate drops nothing, and bad input is refused.
/// </summary>
public sealed class MlNetMixtureTests
{
    [Fact]
    public void Run_OnTheSlice_ScoresEveryContender()
    {
        using var output = new TempDirectory();
        var settings = new ComparisonSettings
        {
            DataDirectory = FashionData.SliceDirectory,
            TrainLimit = 300,
            TestLimit = 100,
            Epochs = 2,
            Experts = 4,
            OutputDirectory = output.Path,
        };

        Assert.Equal(0, MlNetMixtureCommand.Run(settings));

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(output.File("summary.json")));
        JsonElement[] results = [.. summary.RootElement.GetProperty("results").EnumerateArray()];
        Assert.Equal(Comparison.Contenders(settings).Select(c => c.Name), results.Select(r => r.GetProperty("name").GetString()));
        foreach (JsonElement r in results)
        {
            // Ten classes: a trainer that learned nothing scores about 0.1; every one here must do better on 100 images.
            double accuracy = r.GetProperty("macroAccuracy").GetDouble();
            Assert.InRange(accuracy, 0.2, 1.0);
            Assert.True(double.IsFinite(r.GetProperty("logLoss").GetDouble()));
        }

        // The ML.NET trainers have no gate; the networks report their drops and epochs.
        Assert.Equal(JsonValueKind.Null, results[0].GetProperty("droppedSlotRate").ValueKind);
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("droppedSlotRate").ValueKind);
        JsonElement phase = results.Single(r => r.GetProperty("name").GetString()!.StartsWith("MoE, phase", StringComparison.Ordinal));
        Assert.Equal(0.0, phase.GetProperty("droppedSlotRate").GetDouble());
        Assert.InRange(phase.GetProperty("epochs").GetInt32(), 1, 2);
        Assert.Equal(300, summary.RootElement.GetProperty("settings").GetProperty("trainLimit").GetInt32());
    }

    [Fact]
    public void Run_WithoutData_ExitsOne_AndWritesNoSummary()
    {
        using var empty = new TempDirectory();
        using var output = new TempDirectory();

        int code = MlNetMixtureCommand.Run(new ComparisonSettings { DataDirectory = empty.Path, OutputDirectory = output.Path });

        Assert.Equal(MlNetMixtureCommand.DataError, code);
        Assert.False(File.Exists(output.File("summary.json")));
    }

    [Fact]
    public void Run_IntoAnUnwritableFolder_ExitsThree()
    {
        using var scratch = new TempDirectory();
        string notAFolder = scratch.File("occupied");
        File.WriteAllText(notAFolder, "a file where the output folder should go");

        int code = MlNetMixtureCommand.Run(new ComparisonSettings
        {
            DataDirectory = FashionData.SliceDirectory,
            OutputDirectory = Path.Combine(notAFolder, "runs"),
        });

        Assert.Equal(MlNetMixtureCommand.OutputError, code);
    }

    [Theory]
    [InlineData("--k 3 --experts 2", "--k (3) must not exceed --experts (2).")]
    [InlineData("--epochs 0", "--epochs must be at least 1; got 0.")]
    [InlineData("--capacity-factor 0", "--capacity-factor must be a finite number greater than 0; got 0.")]
    [InlineData("--train-limit -5", "--train-limit must be at least 1; got -5.")]
    public void BadOptions_AreRefusedWithAMessage(string args, string message)
    {
        var parsed = new MlNetMixtureCommand().Root.Parse(args.Split(' '));

        Assert.Contains(message, parsed.Errors.Select(e => e.Message));
    }
}
