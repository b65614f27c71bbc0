using System.Reflection;

namespace PhaseRouter.ML;

/// <summary>
/// The version header of one saved model entry, as ML.NET's <c>VersionInfo</c> holds it: an eight-character model
/// signature, the version written, the oldest version that can read it, the oldest version this code reads back, and
/// the loader signature ML.NET looks the loader up by.
/// </summary>
/// <param name="ModelSignature">Exactly eight characters below U+0100.</param>
/// <param name="Written">The version this code writes.</param>
/// <param name="Readable">The oldest reader version that can read what this code writes.</param>
/// <param name="WeCanReadBack">The oldest written version this code can read.</param>
/// <param name="LoaderSignature">The loader's name in the component catalog (at most 24 characters).</param>
/// <param name="LoaderAssembly">The assembly ML.NET registers before looking the loader up.</param>
internal readonly record struct ModelVersion(string ModelSignature, uint Written, uint Readable, uint WeCanReadBack,
    string LoaderSignature, Assembly LoaderAssembly)
{
    /// <summary>ML.NET's internal <c>VersionInfo</c> value for this header.</summary>
    public object ToVersionInfo()
    {
        Type type = typeof(Microsoft.ML.ICanSaveModel).Assembly.GetType("Microsoft.ML.VersionInfo")
            ?? throw new InvalidOperationException("ML.NET has no Microsoft.ML.VersionInfo; PhaseRouter.ML needs the Microsoft.ML version it was built against.");
        ConstructorInfo constructor = type.GetConstructor(
            [typeof(string), typeof(uint), typeof(uint), typeof(uint), typeof(string), typeof(string), typeof(string)])
            ?? throw new InvalidOperationException("ML.NET's VersionInfo constructor changed; PhaseRouter.ML needs the Microsoft.ML version it was built against.");
        return constructor.Invoke([ModelSignature, Written, Readable, WeCanReadBack, LoaderAssembly.FullName, LoaderSignature, null]);
    }
}
