using PhaseRouter.Examples.MoeTraining.Data;

namespace PhaseRouter.Examples.Tests.Data;

/// <summary>
/// A fact that needs the full Fashion-MNIST set in <see cref="FashionMnistFiles.DefaultDirectory"/>. Where it is
/// absent the test is reported as skipped, with the reason and the install command, instead of failing or passing
/// silently; everything else that needs real images runs on the repository's slice (<see cref="FashionMnistSlice"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FullFashionMnistFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when any of the four files is missing.</summary>
    public FullFashionMnistFactAttribute()
    {
        var directory = FashionMnistFiles.DefaultDirectory;
        var missing = FashionMnistFiles.Missing(directory);
        if (missing.Count > 0)
        {
            Skip = $"needs the full Fashion-MNIST set, missing in {directory} ({string.Join(", ", missing)}); " +
                   $"install it with `{FashionMnistFiles.InstallHint}` or set {FashionMnistFiles.DirectoryVariable}.";
        }
    }
}
