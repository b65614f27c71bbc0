namespace PhaseRouter.Examples.MoeTraining.Data;

/// <summary>Which data set to train on.</summary>
public enum DatasetKind
{
    /// <summary>Fashion-MNIST when it is installed, else the synthetic task.</summary>
    Auto,

    /// <summary>Fashion-MNIST from the IDX files of Debian's <c>dataset-fashion-mnist</c>.</summary>
    FashionMnist,

    /// <summary>The built-in clustered synthetic mixture task.</summary>
    Synthetic,
}
