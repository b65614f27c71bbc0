namespace PhaseRouter.Evaluation.Inputs;

/// <summary>
/// The original MoE demo's structured inputs, square N = tokens: the columns are cut into one block per expert; each
/// token picks 3–5 experts and sets 5–14 random columns in each chosen block; T is block diagonal (a column accepts
/// the sources of its own block).
/// </summary>
public static class MoeInputs
{
    /// <summary>Builds S (tokens × tokens) and T (tokens × tokens).</summary>
    /// <param name="experts">The number of experts, in <c>[1, tokens]</c>.</param>
    /// <param name="tokens">Tokens per batch (N).</param>
    /// <param name="seed">The seed.</param>
    public static (BitMatrix Sources, BitMatrix Targets) Build(int experts, int tokens, int seed)
    {
        if (tokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "tokens must be at least 1.");
        }

        if (experts < 1 || experts > tokens)
        {
            throw new ArgumentOutOfRangeException(nameof(experts), experts, $"experts must be in [1, tokens = {tokens}].");
        }

        var rng = new Random(seed);
        int perToken = Math.Min(experts, Math.Max(3, Math.Min(5, experts / 4)));
        int block = tokens / experts;
        var s = new BitMatrix(tokens, tokens);
        var chosen = new int[experts];
        for (int i = 0; i < experts; i++)
        {
            chosen[i] = i;
        }

        for (int token = 0; token < tokens; token++)
        {
            // A partial Fisher–Yates shuffle picks this token's experts.
            for (int e = 0; e < perToken; e++)
            {
                int pick = e + rng.Next(experts - e);
                (chosen[e], chosen[pick]) = (chosen[pick], chosen[e]);
                int start = chosen[e] * block;
                int items = Math.Min(rng.Next(5, 15), block);
                foreach (int offset in Enumerable.Range(0, block).OrderBy(_ => rng.Next()).Take(items))
                {
                    s[token, start + offset] = true;
                }
            }
        }

        BitMatrix t = InputFactory.Pattern(tokens, tokens, (j, i) => j / block == i / block && j < block * experts && i < block * experts);
        return (s, t);
    }
}
