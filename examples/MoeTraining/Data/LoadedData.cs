namespace PhaseRouter.Examples.MoeTraining.Data;

/// <summary>The train and test split of the data set a run uses.</summary>
/// <param name="Kind">Which data set it is (never <see cref="DatasetKind.Auto"/>).</param>
/// <param name="Name">The name written to the summary: <c>fashion-mnist</c> or <c>synthetic</c>.</param>
/// <param name="Description">A one-line description for the console (source, sizes).</param>
/// <param name="Train">The training images.</param>
/// <param name="Test">The test images.</param>
/// <param name="Notice">A notice to show the user (e.g. how to install Fashion-MNIST), or null.</param>
public sealed record LoadedData(
    DatasetKind Kind,
    string Name,
    string Description,
    ImageDataset Train,
    ImageDataset Test,
    string? Notice);
