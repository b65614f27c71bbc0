namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>The order of the training images in each epoch: a seeded shuffle, the same for every gate.</summary>
public static class BatchOrder
{
    /// <summary>A permutation of <c>[0, count)</c> that depends only on <paramref name="seed"/> and <paramref name="epoch"/>.</summary>
    public static int[] Permutation(int count, int seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        var rng = new Random(unchecked((seed * 1_000_003) + epoch));
        rng.Shuffle(order);
        return order;
    }

    /// <summary>
    /// Full batches per epoch over <paramref name="count"/> images, or over the first <paramref name="perEpoch"/> of
    /// each epoch's shuffle when given (a last partial batch is skipped so every step routes the same number of tokens).
    /// </summary>
    public static int BatchesPerEpoch(int count, int batchSize, int? perEpoch = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return Math.Min(count, perEpoch ?? count) / batchSize;
    }
}
