using System.Runtime.InteropServices;
using PhaseRouter.TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.Examples.MoeTraining.Model;

/// <summary>
/// Wraps a <see cref="MoeLayer"/> and records, for each batch, the gate's uncapped demand: how many tokens name each
/// expert among their top-k by gate logit before any capacity is applied (ties to the lower expert, like the gates).
/// The logits are recomputed from the gate's projection without gradient (the gates use no jitter here, so they are
/// the logits the gate routed with). A gate without a projection (hash) has no demand.
/// </summary>
public sealed class DemandRecordingMoe : nn.Module<Tensor, Tensor>
{
    private readonly MoeLayer _layer;
    private readonly Linear? _projection;

    /// <summary>Wraps <paramref name="layer"/>.</summary>
    public DemandRecordingMoe(MoeLayer layer)
        : base(nameof(DemandRecordingMoe))
    {
        _layer = layer ?? throw new ArgumentNullException(nameof(layer));
        _projection = layer.Gate switch
        {
            PhaseRouterGate p => p.Projection,
            TopKSoftmaxGate s => s.Projection,
            _ => null,
        };
        register_module("moe", _layer);
    }

    /// <summary>The wrapped layer.</summary>
    public MoeLayer Layer => _layer;

    /// <summary>Whether demand is recorded (on by default; off saves the extra projection).</summary>
    public bool RecordDemand { get; set; } = true;

    /// <summary>The demand per expert of the last batch, or null (no projection, or recording off).</summary>
    public int[]? LastDemand { get; private set; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        LastDemand = RecordDemand && _projection is not null ? Demand(input) : null;
        return _layer.forward(input);
    }

    private int[] Demand(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = _projection!.forward(input.detach()).to(ScalarType.Float32).contiguous();
        int experts = (int)logits.shape[1];
        int tokens = (int)logits.shape[0];
        var values = new float[tokens * experts];
        MemoryMarshal.Cast<byte, float>(logits.bytes).CopyTo(values);
        return TopKCounts(values, tokens, experts, _layer.Gate.K);
    }

    /// <summary>For row-major <c>[tokens, E]</c> scores, how often each expert is among a row's k best (ties to the lower index).</summary>
    public static int[] TopKCounts(ReadOnlySpan<float> scores, int tokens, int experts, int k)
    {
        var counts = new int[experts];
        Span<bool> taken = experts <= 256 ? stackalloc bool[experts] : new bool[experts];
        for (int t = 0; t < tokens; t++)
        {
            var row = scores.Slice(t * experts, experts);
            taken.Clear();
            for (int j = 0; j < k; j++)
            {
                int best = -1;
                for (int e = 0; e < experts; e++)
                {
                    if (!taken[e] && (best < 0 || row[e] > row[best]))
                    {
                        best = e;
                    }
                }

                taken[best] = true;
                counts[best]++;
            }
        }

        return counts;
    }
}
