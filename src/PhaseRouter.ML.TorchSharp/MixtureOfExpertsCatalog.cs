using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace PhaseRouter.ML.TorchSharp;

/// <summary>Creates <see cref="MixtureOfExpertsMulticlassTrainer"/> from <c>mlContext.MulticlassClassification.Trainers</c>, and registers its model loader.</summary>
public static class MixtureOfExpertsCatalog
{
    /// <summary>A mixture-of-experts classifier with the common settings; see <see cref="MixtureOfExpertsMulticlassTrainer.Options"/> for all of them.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">The label column (key type).</param>
    /// <param name="featureColumnName">The feature column (known-size vector of <see cref="float"/>).</param>
    /// <param name="experts">E, experts per layer (1 = a dense network).</param>
    /// <param name="k">Experts per row, in <c>[1, E]</c>.</param>
    /// <param name="gate">The gate (the Phase Router's spill policy by default).</param>
    /// <param name="maxEpochs">Most epochs (early stopping may end sooner).</param>
    /// <param name="seed">Seed of initialisation, shuffling, split and routing.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static MixtureOfExpertsMulticlassTrainer MixtureOfExperts(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int experts = 8, int k = 1,
        MoeGateKind gate = MoeGateKind.PhaseSpill, int maxEpochs = 20, int seed = 0) =>
        MixtureOfExperts(catalog, new MixtureOfExpertsMulticlassTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            Experts = experts,
            K = k,
            Gate = gate,
            MaxEpochs = maxEpochs,
            Seed = seed,
        });

    /// <summary>A mixture-of-experts classifier with full options (copied).</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">The options; validated here.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static MixtureOfExpertsMulticlassTrainer MixtureOfExperts(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        MixtureOfExpertsMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var environment = MlNetModelFormat.EnvironmentOf(catalog);
        RegisterMixtureOfExperts(environment.ComponentCatalog);
        return new MixtureOfExpertsMulticlassTrainer(environment, options);
    }

    /// <summary>
    /// Lets <c>ml.Model.Load</c> of this context load models with <see cref="MixtureOfExpertsMulticlassTransformer"/>
    /// (and <c>AssignWithCapacity</c>). Call it once on a context that loads without having created the trainer;
    /// idempotent.
    /// </summary>
    /// <param name="catalog">The context's catalog, <c>mlContext.ComponentCatalog</c>.</param>
    /// <returns><paramref name="catalog"/>.</returns>
    public static ComponentCatalog RegisterMixtureOfExperts(this ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.RegisterPhaseRouter();
        MlNetModelFormat.RegisterLoader(catalog, typeof(MixtureOfExpertsMulticlassTransformer), MixtureOfExpertsMulticlassTransformer.Version,
            MixtureOfExpertsMulticlassTransformer.CreateMethod);
        return catalog;
    }
}
