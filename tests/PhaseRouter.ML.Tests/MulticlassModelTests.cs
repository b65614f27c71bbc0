using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace PhaseRouter.ML.Tests;

public sealed class MulticlassModelTests
{
    private static readonly string[] Teams = ["billing", "network", "security"];

    /// <summary>Three Gaussian blobs; <paramref name="weights"/> sets how many tickets each team should get.</summary>
    private static TicketRow[] Tickets(int count, double[] weights, int seed)
    {
        var random = new Random(seed);
        (float X, float Y)[] centres = [(0f, 0f), (3f, 0f), (1.5f, 2.6f)];
        double total = weights.Sum();
        return Enumerable.Range(0, count).Select(_ =>
        {
            double u = random.NextDouble() * total;
            int team = u < weights[0] ? 0 : u < weights[0] + weights[1] ? 1 : 2;
            return new TicketRow
            {
                Team = Teams[team],
                Urgency = centres[team].X + (float)Gaussian(random),
                Topic = centres[team].Y + (float)Gaussian(random),
            };
        }).ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) * 0.6;

    private static (ITransformer Model, MLContext Ml) Train()
    {
        var ml = new MLContext(seed: 0);
        IDataView training = ml.Data.LoadFromEnumerable(Tickets(600, [1, 1, 1], seed: 1));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Team", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.Concatenate("Features", "Urgency", "Topic"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 50));
        return (pipeline.Fit(training), ml);
    }

    [Fact]
    public void Scores_of_a_trained_model_are_assigned_accurately_within_capacity()
    {
        (ITransformer model, MLContext ml) = Train();
        // Balanced traffic with 10% slack: capacity should cost almost no accuracy.
        IDataView tickets = ml.Data.LoadFromEnumerable(Tickets(300, [1, 1, 1], seed: 2));
        IDataView scored = model.Transform(tickets);
        PhaseRoutingTransformer router = ml.Transforms.AssignWithCapacity(capacityFactor: 1.1).Fit(scored);

        RoutedTicket[] routed = ml.Data.CreateEnumerable<RoutedTicket>(router.Transform(scored), reuseRowObject: false).ToArray();

        string[] slots = SlotNames(scored);
        Assert.Equal(Teams, slots);
        int[] loads = Data.Loads(routed.Select(r => new AssignedRow { Assignment = r.Assignment }), Teams.Length);
        Assert.All(loads, load => Assert.InRange(load, 0, 110));
        Assert.Equal(0, router.LastResult!.UnfilledSlots);
        double argmaxAccuracy = routed.Average(r => slots[Array.IndexOf(r.Score, r.Score.Max())] == r.Team ? 1.0 : 0.0);
        double assignedAccuracy = routed.Average(r => slots[r.Assignment[0]] == r.Team ? 1.0 : 0.0);
        Assert.True(argmaxAccuracy > 0.9, $"model accuracy {argmaxAccuracy:P1}");
        Assert.True(assignedAccuracy > argmaxAccuracy - 0.03, $"assigned {assignedAccuracy:P1} vs argmax {argmaxAccuracy:P1}");
    }

    [Fact]
    public void A_surge_on_one_team_is_capped_and_the_overflow_goes_to_the_next_best_team()
    {
        (ITransformer model, MLContext ml) = Train();
        // 60% of tickets belong to billing, but every team can take at most 120 of 300.
        IDataView tickets = ml.Data.LoadFromEnumerable(Tickets(300, [6, 2, 2], seed: 3));
        var estimator = ml.Transforms.AssignWithCapacity([120, 120, 120]);
        IDataView scored = model.Transform(tickets);

        RoutedTicket[] routed = ml.Data.CreateEnumerable<RoutedTicket>(estimator.Fit(scored).Transform(scored), reuseRowObject: false).ToArray();

        int[] loads = Data.Loads(routed.Select(r => new AssignedRow { Assignment = r.Assignment }), Teams.Length);
        Assert.True(routed.Count(t => Array.IndexOf(t.Score, t.Score.Max()) == 0) > 150, "the model should see the billing surge");
        Assert.Equal(120, loads[0]);
        Assert.All(loads, load => Assert.InRange(load, 0, 120));
        Assert.All(routed, t => Assert.InRange(t.Assignment[0], 0, 2));
        // A ticket that wanted billing but found it full got its second-best team.
        Assert.All(routed.Where(t => Array.IndexOf(t.Score, t.Score.Max()) == 0 && t.Assignment[0] != 0), t =>
            Assert.Equal(t.Score[1] >= t.Score[2] ? 1 : 2, t.Assignment[0]));
        // Billing went to the tickets the model is surest of: rows are served highest best score first.
        float[] billingMargin = routed.Where(t => t.Assignment[0] == 0).Select(t => t.Score.Max()).ToArray();
        float[] spilled = routed.Where(t => t.Team == "billing" && t.Assignment[0] != 0 && Array.IndexOf(t.Score, t.Score.Max()) == 0)
            .Select(t => t.Score.Max()).ToArray();
        Assert.NotEmpty(spilled);
        Assert.True(spilled.Max() <= billingMargin.Min(), "a ticket sure of billing spilled while a less sure one got billing");
    }

    private static string[] SlotNames(IDataView scored)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["Score"].GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }
}
