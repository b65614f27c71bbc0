using TorchSharp;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

/// <summary>TorchSharp's native library loads on this host (see buildTransitive/PhaseRouter.TorchSharp.targets).</summary>
public sealed class NativeLoadingTests
{
    [Fact]
    public void LinearForwardAndBackwardGiveFiniteNonZeroGradients()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        using var linear = nn.Linear(4, 3);
        var x = randn(5, 4);
        var y = linear.call(x);
        Assert.Equal(new long[] { 5, 3 }, y.shape);

        var loss = y.pow(2).sum();
        loss.backward();

        foreach (var (name, parameter) in linear.named_parameters())
        {
            var grad = parameter.grad;
            Assert.NotNull(grad);
            Assert.True(isfinite(grad).all().item<bool>(), $"{name} has a non-finite gradient");
            Assert.True(grad.abs().sum().item<float>() > 0, $"{name} has a zero gradient");
        }
    }
}
