using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace PhaseRouter.ML;

/// <summary>
/// The one place that reaches into ML.NET's model-file machinery, which ML.NET keeps internal.
/// </summary>
/// <remarks>
/// <para>
/// Why reflection: ML.NET's model file calls <see cref="ICanSaveModel.Save(ModelSaveContext)"/> (public), but every
/// member of <see cref="ModelSaveContext"/> a transform writes with (<c>CheckAtModel</c>, <c>SetVersionInfo</c>,
/// <c>Writer</c>), the <c>VersionInfo</c> header, <c>ModelLoadContext</c> and the <c>[LoadableClass]</c> attribute
/// that lets <c>ml.Model.Load</c> find a loader are all <c>[BestFriend] internal</c> to Microsoft.ML.Core
/// (dotnet/machinelearning keeps the component model closed to other assemblies). ML.NET's own transforms do exactly
/// these steps; this class does them through reflection against the pinned Microsoft.ML version, and the round-trip
/// tests of every saveable transform fail loudly if a later ML.NET renames one of them.
/// </para>
/// <para>
/// Loading needs the loader registered in the <see cref="ComponentCatalog"/> of the <see cref="MLContext"/> that
/// loads (the attribute route is closed to us, so <see cref="RegisterLoader"/> adds the same entry the attribute
/// would): the catalog extensions register it when they create an estimator, and a context that only loads a model
/// calls the public <c>RegisterPhaseRouter</c> extension first, as ML.NET's own <c>CustomMapping</c> asks for
/// <see cref="ComponentCatalog.RegisterAssembly"/>.
/// </para>
/// </remarks>
internal static class MlNetModelFormat
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private static readonly Assembly Core = typeof(ICanSaveModel).Assembly;
    private static readonly Type VersionInfoType = CoreType("Microsoft.ML.VersionInfo");
    private static readonly Type LoadContextType = CoreType("Microsoft.ML.ModelLoadContext");
    private static readonly ConditionalWeakTable<ComponentCatalog, HashSet<string>> Registered = new();

    /// <summary>
    /// Starts a model entry: checks the context is at the model, writes the version header (model signature, version,
    /// loader signature and this loader's assembly) and returns the writer for the payload.
    /// </summary>
    public static BinaryWriter BeginSave(ModelSaveContext ctx, ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        Call(ctx, "CheckAtModel", []);
        Call(ctx, "SetVersionInfo", [version.ToVersionInfo()], VersionInfoType);
        return (BinaryWriter)Field(ctx, "Writer");
    }

    /// <summary>
    /// Opens a model entry written by <see cref="BeginSave"/>: checks the header against <paramref name="version"/>
    /// (ML.NET throws a format error for a model of another kind or a newer version) and returns the payload reader.
    /// </summary>
    /// <param name="ctx">The <c>ModelLoadContext</c> ML.NET passed to the loader.</param>
    /// <param name="version">The version this code reads.</param>
    public static BinaryReader BeginLoad(object ctx, ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (!LoadContextType.IsInstanceOfType(ctx))
        {
            throw new ArgumentException($"Expected ML.NET's ModelLoadContext; got {ctx.GetType()}.", nameof(ctx));
        }

        Call(ctx, "CheckAtModel", [version.ToVersionInfo()], VersionInfoType);
        return (BinaryReader)Field(ctx, "Reader");
    }

    /// <summary>
    /// Registers <paramref name="create"/> as the loader of <paramref name="version"/>'s loader signature in
    /// <paramref name="catalog"/>, as a <c>[LoadableClass(..., typeof(SignatureLoadModel), ...)]</c> attribute would.
    /// Idempotent per catalog.
    /// </summary>
    /// <param name="catalog">The catalog of the context that will load.</param>
    /// <param name="instanceType">The loaded transformer type.</param>
    /// <param name="version">Its version header (the loader signature is the lookup key).</param>
    /// <param name="create">A static method <c>(IHostEnvironment env, object ctx)</c> returning <paramref name="instanceType"/>.</param>
    public static void RegisterLoader(ComponentCatalog catalog, Type instanceType, ModelVersion version, MethodInfo create)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(instanceType);
        ArgumentNullException.ThrowIfNull(create);
        object catalogLock = Field(catalog, "_lock");
        lock (catalogLock)
        {
            HashSet<string> names = Registered.GetOrCreateValue(catalog);
            if (!names.Add(version.LoaderSignature))
            {
                return;
            }

            Type signature = CoreType("Microsoft.ML.SignatureLoadModel");
            Type attributeType = CoreType("Microsoft.ML.LoadableClassAttribute");
            object attribute = attributeType
                .GetConstructor([typeof(Type), typeof(Type), typeof(Type), typeof(Type), typeof(string), typeof(string[])])!
                .Invoke([instanceType, instanceType, null, signature, version.LoaderSignature, new[] { version.LoaderSignature }]);
            Type infoType = typeof(ComponentCatalog).GetNestedType("LoadableClassInfo", BindingFlags.NonPublic)
                ?? throw Missing("ComponentCatalog.LoadableClassInfo");
            ConstructorInfo infoConstructor = infoType.GetConstructors(Instance).Single(c => c.GetParameters().Length == 5);
            object info = infoConstructor.Invoke([attribute, null, null, create, true]);
            MethodInfo addClass = typeof(ComponentCatalog).GetMethod("AddClass", Instance) ?? throw Missing("ComponentCatalog.AddClass");
            addClass.Invoke(catalog, [info, new[] { version.LoaderSignature }, false]);
        }
    }

    /// <summary>
    /// The <see cref="MLContext"/> (as its host environment) behind a catalog such as <c>ml.Transforms</c> or
    /// <c>ml.MulticlassClassification.Trainers</c>; ML.NET keeps that link internal.
    /// </summary>
    public static IHostEnvironment EnvironmentOf(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        // Every catalog implements ML.NET's internal IInternalCatalog { IHostEnvironment Environment } explicitly.
        Type? internalCatalog = catalog.GetType().GetInterfaces().FirstOrDefault(i => i.FullName == "Microsoft.ML.Data.IInternalCatalog");
        return internalCatalog?.GetProperty("Environment")?.GetValue(catalog) as IHostEnvironment
            ?? throw Missing($"IInternalCatalog.Environment on {catalog.GetType().Name}");
    }

    private static Type CoreType(string name) => Core.GetType(name) ?? throw Missing(name);

    private static object Field(object target, string name)
    {
        for (Type? type = target.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetField(name, Instance | BindingFlags.DeclaredOnly) is { } field)
            {
                return field.GetValue(target) ?? throw Missing($"{type.Name}.{name} (null)");
            }
        }

        throw Missing($"{target.GetType().Name}.{name}");
    }

    private static void Call(object target, string name, object?[] arguments, params Type[] parameterTypes)
    {
        MethodInfo method = target.GetType().GetMethod(name, Instance, parameterTypes) ?? throw Missing($"{target.GetType().Name}.{name}");
        try
        {
            method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }

    private static InvalidOperationException Missing(string member) =>
        new($"ML.NET {Core.GetName().Version} has no '{member}', which PhaseRouter.ML uses to save and load models; this build of PhaseRouter.ML needs the Microsoft.ML version it was built against.");
}
