using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace PhaseRouter.Examples.Tests.Training;

/// <summary>
/// Finds, in the IL of an assembly, every call that makes TorchSharp create a <see cref="Scalar"/> by implicit
/// conversion: a direct <c>Scalar.op_Implicit</c>, or a TorchSharp method that (itself or through the TorchSharp
/// methods it calls, a few levels deep) converts implicitly, such as <c>Tensor.add_(Scalar)</c>, which passes an
/// implicit <c>alpha = 1</c>, or <c>Tensor * double</c>. Such a Scalar is unreachable while libtorch reads it, so a
/// collection on another thread can finalize it mid-call (see <c>ScalarSafeAdam</c>).
/// </summary>
internal static class ImplicitScalarScanner
{
    private const int Depth = 3;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static readonly Assembly TorchSharpAssembly = typeof(Scalar).Assembly;

    private static readonly Dictionary<MethodBase, bool> Converts = [];

    /// <summary>"Type.Method calls TorchSharpType.Method" for each offending call in <paramref name="assembly"/>.</summary>
    public static IReadOnlyList<string> Find(Assembly assembly)
    {
        var found = new List<string>();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
                                 BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes())
        {
            var methods = type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all));
            foreach (var method in methods)
            {
                foreach (var callee in Callees(method).Where(c => c.Module.Assembly == TorchSharpAssembly).Distinct())
                {
                    if (ConvertsImplicitly(callee, Depth))
                    {
                        found.Add($"{type.FullName}.{method.Name} calls {callee.DeclaringType?.Name}.{callee}");
                    }
                }
            }
        }

        return found;
    }

    private static bool IsImplicitScalar(MethodBase method) =>
        method.Name == "op_Implicit" && method.DeclaringType == typeof(Scalar);

    private static bool ConvertsImplicitly(MethodBase method, int depth)
    {
        if (IsImplicitScalar(method))
        {
            return true;
        }

        if (depth == 0 || method.Module.Assembly != TorchSharpAssembly)
        {
            return false;
        }

        if (Converts.TryGetValue(method, out bool known))
        {
            return known;
        }

        Converts[method] = false; // recursion guard
        bool result = Callees(method).Any(c => ConvertsImplicitly(c, depth - 1));
        Converts[method] = result;
        return result;
    }

    /// <summary>The methods <paramref name="method"/>'s IL calls (call, callvirt, newobj, ldftn).</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception ex) when (ex is InvalidOperationException or BadImageFormatException or NotSupportedException)
        {
            yield break;
        }

        if (il is null)
        {
            yield break;
        }

        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE && at + 1 < il.Length ? (short)(0xFE00 | il[at + 1]) : il[at];
            if (!OpCodesByValue.TryGetValue(value, out var op))
            {
                yield break; // not IL we understand; stop rather than misread operands
            }

            at += op.Size;
            if (op.OperandType == OperandType.InlineMethod)
            {
                int token = BitConverter.ToInt32(il, at);
                MethodBase? callee = null;
                try
                {
                    callee = method.Module.ResolveMethod(token, typeArgs, methodArgs);
                }
                catch (Exception ex) when (ex is ArgumentException or BadImageFormatException or TypeLoadException or MissingMethodException)
                {
                }

                if (callee is not null)
                {
                    yield return callee;
                }
            }

            at += OperandSize(op, il, at);
        }
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
