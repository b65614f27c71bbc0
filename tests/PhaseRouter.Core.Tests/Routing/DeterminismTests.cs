using System.Security.Cryptography;

namespace PhaseRouter.Core.Tests.Routing;

/// <summary>
/// Same inputs and seed → same routes, whatever the thread count or kernel; golden hashes pin the output across
/// machines and library versions. A changed hash means every user's routes changed: bump it only on purpose.
/// </summary>
public class DeterminismTests
{
    public static TheoryData<string, string> Golden => new()
    {
        { "square-200-k7-seed0", "5bc3f34eb9438db1" },
        { "rect-300x77-k5-rows-seed42", "cf2ae4822245a540" },
        { "scores-caps-150x40-k3", "17fccccc1ec4c3fe" },
        { "section5-1024-k64-seed1", "f254ed234a997db8" },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void GoldenHashes_PinTheRoutes(string name, string expected)
    {
        foreach (RouterKernel kernel in new[] { RouterKernel.ArcScan, RouterKernel.BitParallel, RouterKernel.Sweep, RouterKernel.Auto })
        {
            foreach (int threads in new[] { 1, 2, -1 })
            {
                Assert.Equal(expected, Hash(Case(name, kernel, threads)));
            }
        }
    }

    [Fact]
    public void ThreadCount_DoesNotChangeRoutes_OnALargeProblem()
    {
        var rng = new Random(3);
        int[] s = Enumerable.Range(0, 5000).Select(_ => rng.Next(1, 300)).ToArray();
        int[] t = Enumerable.Range(0, 4000).Select(_ => rng.Next(1, 300)).ToArray();
        float[] scores = Enumerable.Range(0, 5000 * 4000).Select(x => (float)((x * 2654435761u) % 1000)).ToArray();
        int[] caps = Enumerable.Repeat(6, 4000).ToArray();
        foreach (RouterOptions options in new[]
        {
            new RouterOptions { Seed = 8 },
            new RouterOptions { Seed = 8, PermuteRows = true },
            new RouterOptions { Seed = 8, Scores = scores, TargetCapacities = caps },
        })
        {
            int[] one = Router.RouteDegrees(s, t, 9, options with { MaxDegreeOfParallelism = 1 }).ToArray();
            int[] all = Router.RouteDegrees(s, t, 9, options with { MaxDegreeOfParallelism = -1 }).ToArray();
            Assert.Equal(one, all);
        }
    }

    [Fact]
    public void Seeds_ChangeTheRoutes()
    {
        int[] d = Enumerable.Repeat(50, 200).ToArray();
        Assert.NotEqual(Router.RouteDegrees(d, d, 4, new RouterOptions { Seed = 0 }).ToArray(),
            Router.RouteDegrees(d, d, 4, new RouterOptions { Seed = 1 }).ToArray());
    }

    [Fact]
    public void DestinationBuffer_GivesTheSameRoutes()
    {
        int[] s = Enumerable.Range(0, 300).Select(i => i % 40).ToArray();
        int[] t = Enumerable.Range(0, 40).Select(j => (j * 7) % 300).ToArray();
        var buffer = new int[300 * 6];
        RoutingResult viewed = Router.RouteDegrees(s, t, 6, buffer, new RouterOptions { Seed = 4 });
        Assert.Equal(Router.RouteDegrees(s, t, 6, new RouterOptions { Seed = 4 }).ToArray(), buffer);
        Assert.Equal(buffer, viewed.ToArray());
    }

    internal static RoutingResult Case(string name, RouterKernel kernel, int threads)
    {
        var o = new RouterOptions { Kernel = kernel, MaxDegreeOfParallelism = threads };
        var rng = new Random(name.Length * 7919);
        switch (name)
        {
            case "square-200-k7-seed0":
            {
                int[] s = Enumerable.Range(0, 200).Select(_ => rng.Next(201)).ToArray();
                int[] t = Enumerable.Range(0, 200).Select(_ => rng.Next(201)).ToArray();
                return Router.RouteDegrees(s, t, 7, o with { Seed = 0 });
            }

            case "rect-300x77-k5-rows-seed42":
            {
                int[] s = Enumerable.Range(0, 300).Select(_ => rng.Next(78)).ToArray();
                int[] t = Enumerable.Range(0, 77).Select(_ => rng.Next(301)).ToArray();
                return Router.RouteDegrees(s, t, 5, o with { Seed = 42, PermuteRows = true });
            }

            case "scores-caps-150x40-k3":
            {
                int[] s = Enumerable.Range(0, 150).Select(_ => rng.Next(41)).ToArray();
                int[] t = Enumerable.Range(0, 40).Select(_ => rng.Next(151)).ToArray();
                float[] scores = Enumerable.Range(0, 150 * 40).Select(_ => (float)rng.Next(100)).ToArray();
                int[] caps = Enumerable.Range(0, 40).Select(_ => rng.Next(12)).ToArray();
                return Router.RouteDegrees(s, t, 3, o with { Seed = 5, Scores = scores, TargetCapacities = caps });
            }

            default:
            {
                int[] s = Enumerable.Range(0, 1024).Select(_ => rng.Next(1, 65)).ToArray();
                int[] t = Enumerable.Range(0, 1024).Select(_ => rng.Next(1, 65)).ToArray();
                return Router.RouteDegrees(s, t, 64, o with { Seed = 1 });
            }
        }
    }

    internal static string Hash(RoutingResult result)
    {
        var bytes = new byte[result.Routes.Length * 4];
        for (int x = 0; x < result.Routes.Length; x++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(x * 4), result.Routes[x]);
        }

        return Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
    }
}
