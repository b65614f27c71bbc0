using FsCheck.Xunit;
using PhaseRouter.Gating;

namespace PhaseRouter.Core.Tests.Gating;

/// <summary>Expert choice: each expert takes exactly its top-C tokens, against a straightforward sort per expert.</summary>
public class ExpertChoiceTests
{
    [Property(MaxTest = 150)]
    public bool EachExpert_TakesItsTopCTokens_AsAFullSortDoes(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 20);
        int k = rng.Next(1, experts + 1);
        int tokens = rng.Next(0, 90);
        int capacity = rng.Next(0, tokens + 3);
        // Few distinct values (and −0 beside +0): ties everywhere, which must go to the lower token.
        float[] scores = [.. Enumerable.Range(0, tokens * experts).Select(_ => rng.Next(5) == 0 ? -0f : rng.Next(4) / 4f)];
        var ws = new GateWorkspace();
        GateRouting.ExpertChoice(scores, experts, k, capacity, ws);
        int[] expected = Reference(scores, tokens, experts, capacity);
        int[] topK = GateReference.TopK(scores, experts, k);
        int[] choices = ws.Choices.ToArray();
        bool choicesRight = Enumerable.Range(0, tokens).All(t =>
            choices.AsSpan(t * experts, k).SequenceEqual(topK.AsSpan(t * k, k)) && choices.AsSpan(t * experts + k, experts - k).IndexOfAnyExcept(-1) < 0);
        int without = Enumerable.Range(0, tokens).Count(t => expected[t * experts] < 0);
        return ws.K == experts && ws.Routes.SequenceEqual(expected) && ws.Loads.SequenceEqual(GateReference.Count(expected, experts))
            && ws.Loads.ToArray().All(l => l == Math.Min(capacity, tokens)) && choicesRight
            && ws.Demand.SequenceEqual(GateReference.Count(topK, experts)) && ws.TokensWithoutExpert == without;
    }

    [Fact]
    public void AToken_NoExpertWants_GetsNone_AndIsCounted()
    {
        // Tokens 0 and 1 are the best of both experts; token 2 is nobody's top 2.
        float[] scores = [0.9f, 0.8f, 0.7f, 0.9f, 0.1f, 0.1f];
        var ws = new GateWorkspace();
        GateRouting.ExpertChoice(scores, 2, 1, 2, ws);
        Assert.Equal([0, 1, 0, 1, -1, -1], ws.Routes.ToArray());
        Assert.Equal(1, ws.TokensWithoutExpert);
        Assert.Equal(2, ws.DroppedSlots); // token 2's two empty slots of the E-wide rows
    }

    [Fact]
    public void BadInput_IsRejected_WithTheParameterNamed()
    {
        var ws = new GateWorkspace();
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => GateRouting.ExpertChoice(new float[8], 4, 1, -1, ws)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => GateRouting.ExpertChoice(new float[8], 4, 0, 1, ws)).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => GateRouting.ExpertChoice(new float[9], 4, 1, 1, ws)).ParamName);
    }

    /// <summary>Per expert, all tokens sorted by descending score then ascending token, the first C taken; rows ascending by expert.</summary>
    private static int[] Reference(float[] scores, int tokens, int experts, int capacity)
    {
        var chosen = new List<int>[tokens];
        for (int t = 0; t < tokens; t++)
        {
            chosen[t] = [];
        }

        for (int e = 0; e < experts; e++)
        {
            foreach (int t in Enumerable.Range(0, tokens).OrderByDescending(t => scores[t * experts + e]).ThenBy(t => t).Take(capacity))
            {
                chosen[t].Add(e);
            }
        }

        var routes = Enumerable.Repeat(-1, tokens * experts).ToArray();
        for (int t = 0; t < tokens; t++)
        {
            chosen[t].Sort();
            chosen[t].CopyTo(routes, t * experts);
        }

        return routes;
    }
}
