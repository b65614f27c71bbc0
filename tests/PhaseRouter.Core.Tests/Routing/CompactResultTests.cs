namespace PhaseRouter.Core.Tests.Routing;

/// <summary>The compact result, its padded views and the caller-owned compact buffers.</summary>
public class CompactResultTests
{
    private static readonly int[] S = Enumerable.Range(0, 300).Select(i => i % 40).ToArray();
    private static readonly int[] T = Enumerable.Range(0, 40).Select(j => (j * 7) % 300).ToArray();

    public static TheoryData<string> OptionSets => ["random", "scores", "capacities", "scores+capacities", "limits"];

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void EveryDestination_GivesTheSameRoutes(string name)
    {
        RouterOptions options = Options(name);
        RoutingResult fresh = Router.RouteDegrees(S, T, 6, options);
        var buffers = new RouteBuffers();
        RoutingResult compact = Router.RouteDegrees(S, T, 6, buffers, options);
        var padded = new int[300 * 6];
        RoutingResult viewed = Router.RouteDegrees(S, T, 6, padded, options);

        Assert.Equal(fresh.ToArray(), padded);
        Assert.Equal(fresh.ToArray(), compact.ToArray());
        Assert.Equal(padded, viewed.Routes.ToArray());
        Assert.Equal(fresh.RouteOffsets.ToArray(), viewed.RouteOffsets.ToArray());
        Assert.Equal(fresh.RouteTargets.ToArray(), viewed.RouteTargets.ToArray());
        Assert.Equal(fresh.RouteTargets.ToArray(), compact.RouteTargets.ToArray());
        Assert.Equal(fresh.TargetLoads.ToArray(), compact.TargetLoads.ToArray());
        Assert.Equal(fresh.ActiveRoutes, viewed.ActiveRoutes);
        Assert.Equal(fresh.SlotsUnfilledByCapacity, compact.SlotsUnfilledByCapacity);
        for (int i = 0; i < 300; i++)
        {
            Assert.Equal(fresh.RoutesOf(i).ToArray(), viewed.RoutesOf(i).ToArray());
        }
    }

    [Fact]
    public void PaddedView_IsEachCompactRowThenMinusOnes()
    {
        RoutingResult result = Router.RouteDegrees(S, T, 6, new RouterOptions { Seed = 3 });
        Assert.Equal(301, result.RouteOffsets.Length);
        Assert.Equal(result.ActiveRoutes, result.RouteOffsets[300]);
        var copy = new int[300 * 6];
        result.CopyTo(copy);
        for (int i = 0; i < 300; i++)
        {
            int[] row = result.RoutesOf(i).ToArray();
            Assert.Equal(result.RouteTargets[result.RouteOffsets[i]..result.RouteOffsets[i + 1]].ToArray(), row);
            Assert.Equal(row.Concat(Enumerable.Repeat(-1, 6 - row.Length)), copy.Skip(i * 6).Take(6));
        }

        Assert.Equal(copy, result.Routes.ToArray());
        Assert.Equal(copy, result.ToArray());
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => result.CopyTo(new int[5])).ParamName);
    }

    [Fact]
    public void AReusedResult_ForgetsThePaddedViewBuiltForTheCallBefore()
    {
        var buffers = new RouteBuffers();
        RoutingResult first = Router.RouteDegrees(S, T, 6, buffers, new RouterOptions { Seed = 1 });
        int[] firstPadded = first.Routes.ToArray();
        RoutingResult second = Router.RouteDegrees(S, T, 6, buffers, new RouterOptions { Seed = 2 });

        Assert.Same(first, second);
        Assert.NotEqual(firstPadded, second.Routes.ToArray());
        Assert.Equal(Router.RouteDegrees(S, T, 6, new RouterOptions { Seed = 2 }).ToArray(), second.Routes.ToArray());
    }

    [Fact]
    public void RouteBuffers_AreReused_AndTheResultViewsThem()
    {
        var buffers = new RouteBuffers();
        Router.RouteDegrees(S, T, 6, buffers, new RouterOptions { Seed = 2 });
        RoutingResult first = Router.RouteDegrees(S, T, 6, buffers, new RouterOptions { Seed = 1 });
        int[] firstRoutes = first.RouteTargets.ToArray();
        int sources = buffers.SourceCapacity;
        int routes = buffers.RouteCapacity;
        RoutingResult second = Router.RouteDegrees(S, T, 6, buffers, new RouterOptions { Seed = 2 });

        // Calls that fit: no growth, and the same result object now shows the latest call.
        Assert.Same(first, second);
        Assert.Equal(sources, buffers.SourceCapacity);
        Assert.Equal(routes, buffers.RouteCapacity);
        Assert.Equal(Router.RouteDegrees(S, T, 6, new RouterOptions { Seed = 2 }).RouteTargets.ToArray(), second.RouteTargets.ToArray());
        Assert.NotEqual(firstRoutes, second.RouteTargets.ToArray());

        // A larger call grows the buffers.
        int[] s = Enumerable.Repeat(40, 900).ToArray();
        RoutingResult larger = Router.RouteDegrees(s, Enumerable.Repeat(900, 40).ToArray(), 6, buffers);
        Assert.Equal(900 * 6, larger.ActiveRoutes);
        Assert.True(buffers.RouteCapacity >= 900 * 6);
    }

    private static RouterOptions Options(string name)
    {
        var rng = new Random(name.Length);
        float[] scores = Enumerable.Range(0, 300 * 40).Select(_ => (float)rng.Next(30)).ToArray();
        int[] caps = Enumerable.Range(0, 40).Select(_ => rng.Next(20)).ToArray();
        return name switch
        {
            "scores" => new RouterOptions { Seed = 5, Scores = scores },
            "capacities" => new RouterOptions { Seed = 5, TargetCapacities = caps },
            "scores+capacities" => new RouterOptions { Seed = 5, Scores = scores, TargetCapacities = caps },
            "limits" => new RouterOptions { Seed = 5, SourceLimits = Enumerable.Range(0, 300).Select(i => i % 7).ToArray() },
            _ => new RouterOptions { Seed = 5 },
        };
    }
}
