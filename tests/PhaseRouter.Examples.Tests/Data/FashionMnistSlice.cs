namespace PhaseRouter.Examples.Tests.Data;

/// <summary>
/// The real Fashion-MNIST slice kept in the repository (<c>data/fashion-mnist-slice</c>: the first 100 training and
/// 50 test images of each class), copied next to the test assembly by the project file.
/// </summary>
public static class FashionMnistSlice
{
    /// <summary>Training images in the slice.</summary>
    public const int TrainCount = 1_000;

    /// <summary>Test images in the slice.</summary>
    public const int TestCount = 500;

    /// <summary>The folder holding the slice's four IDX files.</summary>
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "fashion-mnist-slice");
}
