using MathNet.Numerics.Distributions;

namespace PhaseRouter.Examples.MoeTraining.Data;

/// <summary>
/// A clustered synthetic task shaped like Fashion-MNIST (28×28 floats, 10 classes) on which experts can specialise
/// and load balance matters:
/// <list type="bullet">
/// <item>each image belongs to one of <c>C</c> clusters drawn with unequal (Zipf) probabilities;</item>
/// <item>a cluster has its own prototype image <c>μ_c</c> (every 7×7 patch shows which cluster it is) and its own
///   basis <c>B_c</c> through which a latent Gaussian vector <c>z</c> shows: <c>x = μ_c + B_c z + noise</c>;</item>
/// <item>the label is cluster-specific: <c>argmax(V_c z + b_c)</c>, so the same latent means different classes in
///   different clusters; an expert that serves one cluster can learn its <c>B_c</c> and <c>V_c</c>.</item>
/// </list>
/// The biggest cluster holds about 37% of the images with 8 clusters, so a gate that routes by cluster overloads
/// its expert unless capacity is enforced.
/// </summary>
public static class SyntheticMixtureTask
{
    /// <summary>Generates the train and test split.</summary>
    public static LoadedData Generate(SyntheticMixtureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Clusters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TrainSamples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TestSamples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LatentDim, 1);

        var rng = new Random(options.Seed);
        const int pixels = ImageDataset.Side * ImageDataset.Side;
        const int classes = ImageDataset.ClassCount;
        int clusters = options.Clusters;
        int latent = options.LatentDim;

        var weights = ClusterWeights(clusters);
        var cumulative = new double[clusters];
        double acc = 0;
        for (int c = 0; c < clusters; c++)
        {
            acc += weights[c];
            cumulative[c] = acc;
        }

        var prototypes = new float[clusters][];
        var bases = new float[clusters][];
        var readouts = new float[clusters][];
        var biases = new float[clusters][];
        for (int c = 0; c < clusters; c++)
        {
            prototypes[c] = new float[pixels];
            for (int p = 0; p < pixels; p++)
            {
                prototypes[c][p] = (float)(0.6 * rng.NextDouble());
            }

            bases[c] = new float[pixels * latent];
            for (int i = 0; i < bases[c].Length; i++)
            {
                bases[c][i] = (float)Normal.Sample(rng, 0, 1) * options.LatentScale;
            }

            readouts[c] = new float[classes * latent];
            for (int i = 0; i < readouts[c].Length; i++)
            {
                readouts[c][i] = (float)Normal.Sample(rng, 0, 1);
            }

            biases[c] = new float[classes];
            for (int i = 0; i < classes; i++)
            {
                biases[c][i] = (float)Normal.Sample(rng, 0, 0.5);
            }
        }

        ImageDataset Sample(int count, int[] clusterCounts)
        {
            var x = new float[count * pixels];
            var y = new byte[count];
            var z = new float[latent];
            for (int n = 0; n < count; n++)
            {
                double u = rng.NextDouble() * acc;
                int c = Array.FindIndex(cumulative, v => u < v);
                if (c < 0)
                {
                    c = clusters - 1;
                }

                clusterCounts[c]++;
                for (int l = 0; l < latent; l++)
                {
                    z[l] = (float)Normal.Sample(rng, 0, 1);
                }

                var proto = prototypes[c];
                var basis = bases[c];
                var image = x.AsSpan(n * pixels, pixels);
                for (int p = 0; p < pixels; p++)
                {
                    float v = proto[p];
                    for (int l = 0; l < latent; l++)
                    {
                        v += basis[(p * latent) + l] * z[l];
                    }

                    image[p] = v + ((float)Normal.Sample(rng, 0, 1) * options.Noise);
                }

                int best = 0;
                float bestScore = float.NegativeInfinity;
                for (int k = 0; k < classes; k++)
                {
                    float s = biases[c][k];
                    for (int l = 0; l < latent; l++)
                    {
                        s += readouts[c][(k * latent) + l] * z[l];
                    }

                    if (s > bestScore)
                    {
                        bestScore = s;
                        best = k;
                    }
                }

                y[n] = (byte)best;
            }

            return new ImageDataset(x, y);
        }

        var trainClusters = new int[clusters];
        var train = Sample(options.TrainSamples, trainClusters);
        var test = Sample(options.TestSamples, new int[clusters]);
        return new LoadedData(
            DatasetKind.Synthetic,
            "synthetic",
            $"Synthetic mixture task: {clusters} clusters (training sizes {string.Join("/", trainClusters)}), " +
            $"{train.Count} training and {test.Count} test images",
            train,
            test,
            null);
    }

    /// <summary>The cluster probabilities: proportional to <c>1/(c+1)</c>, normalised.</summary>
    public static double[] ClusterWeights(int clusters)
    {
        var w = Enumerable.Range(0, clusters).Select(c => 1.0 / (c + 1)).ToArray();
        double sum = w.Sum();
        return w.Select(v => v / sum).ToArray();
    }
}
