using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace PhaseRouter.ML;

/// <summary>Registers the Phase Router's saveable transforms with an <see cref="MLContext"/>'s component catalog.</summary>
public static class PhaseRouterComponents
{
    /// <summary>
    /// Lets <c>ml.Model.Load</c> of this context load models that contain <see cref="PhaseRoutingTransformer"/>. Call it
    /// once on a context that loads a model without having created the transform through
    /// <see cref="PhaseRoutingCatalog"/> (which registers it), as ML.NET asks of <c>CustomMapping</c> users with
    /// <see cref="ComponentCatalog.RegisterAssembly"/>. Idempotent.
    /// </summary>
    /// <param name="catalog">The context's catalog, <c>mlContext.ComponentCatalog</c>.</param>
    /// <returns><paramref name="catalog"/>.</returns>
    public static ComponentCatalog RegisterPhaseRouter(this ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        MethodInfo create = typeof(PhaseRoutingTransformer).GetMethod(nameof(PhaseRoutingTransformer.Create),
            BindingFlags.Static | BindingFlags.NonPublic, [typeof(IHostEnvironment), typeof(object)])!;
        MlNetModelFormat.RegisterLoader(catalog, typeof(PhaseRoutingTransformer), PhaseRoutingTransformer.Version, create);
        return catalog;
    }

    /// <summary>Registers through the catalog the user called (<c>ml.Transforms</c> and friends).</summary>
    internal static void RegisterFrom(object catalog) =>
        RegisterPhaseRouter(MlNetModelFormat.EnvironmentOf(catalog).ComponentCatalog);
}
