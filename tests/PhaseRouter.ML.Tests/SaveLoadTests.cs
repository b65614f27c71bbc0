using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace PhaseRouter.ML.Tests;

/// <summary>A fitted chain ending in AssignWithCapacity goes through ml.Model.Save / Load and assigns the same.</summary>
public sealed class SaveLoadTests
{
    private static readonly string[] Teams = ["billing", "network", "security"];

    private static TicketRow[] Tickets(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => new TicketRow
        {
            Team = Teams[i % 3],
            Urgency = i % 3 + (float)random.NextDouble(),
            Topic = (float)random.NextDouble(),
        }).ToArray();
    }

    private static int[][] Assignments(MLContext ml, ITransformer model, IDataView data) =>
        ml.Data.CreateEnumerable<RoutedTicket>(model.Transform(data), reuseRowObject: false).Select(r => r.Assignment).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Chain_with_the_router_round_trips_through_the_model_file_with_identical_assignments(bool explicitCapacities)
    {
        var ml = new MLContext(seed: 0);
        IDataView training = ml.Data.LoadFromEnumerable(Tickets(300, seed: 1));
        IDataView tickets = ml.Data.LoadFromEnumerable(Tickets(120, seed: 2));
        var router = explicitCapacities
            ? ml.Transforms.AssignWithCapacity([50, 30, 60], k: 2, seed: 5)
            : ml.Transforms.AssignWithCapacity(k: 2, capacityFactor: 1.1, seed: 5);
        ITransformer model = ml.Transforms.Conversion.MapValueToKey("Label", "Team", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.Concatenate("Features", "Urgency", "Topic"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 20))
            .Append(router)
            .Fit(training);
        int[][] before = Assignments(ml, model, tickets);

        using var file = new MemoryStream();
        ml.Model.Save(model, training.Schema, file);
        file.Position = 0;
        // A fresh context, as in another process: it registers the loader, then loads.
        var loading = new MLContext(seed: 9);
        loading.ComponentCatalog.RegisterPhaseRouter();
        ITransformer loaded = loading.Model.Load(file, out DataViewSchema inputSchema);

        Assert.Equal(training.Schema.Select(c => c.Name), inputSchema.Select(c => c.Name));
        PhaseRoutingTransformer restored = Assert.IsType<PhaseRoutingTransformer>(((IEnumerable<ITransformer>)loaded).Last());
        PhaseRoutingTransformer original = (PhaseRoutingTransformer)((IEnumerable<ITransformer>)model).Last();
        Assert.Equal(original.Classes, restored.Classes);
        Assert.Equal(original.Options.K, restored.Options.K);
        Assert.Equal(original.Options.CapacityFactor, restored.Options.CapacityFactor);
        Assert.Equal(original.Options.TargetCapacities, restored.Options.TargetCapacities);
        Assert.Equal(original.Options.Seed, restored.Options.Seed);
        int[][] after = Assignments(loading, loaded, loading.Data.LoadFromEnumerable(Tickets(120, seed: 2)));
        Assert.Equal(before, after);
        Assert.Contains(before, a => a[0] != a[1]);
    }

    [Fact]
    public void A_context_that_never_registered_the_router_cannot_load_it()
    {
        var ml = new MLContext(seed: 0);
        IDataView scores = ml.Data.LoadFromEnumerable(Data.RandomRows(20, seed: 1));
        PhaseRoutingTransformer transformer = ml.Transforms.AssignWithCapacity().Fit(scores);
        using var file = new MemoryStream();
        ml.Model.Save(transformer, scores.Schema, file);
        file.Position = 0;

        var fresh = new MLContext();
        Assert.ThrowsAny<Exception>(() => fresh.Model.Load(file, out _));
        file.Position = 0;
        fresh.ComponentCatalog.RegisterPhaseRouter();
        Assert.IsType<PhaseRoutingTransformer>(fresh.Model.Load(file, out _));
    }
}
