using PhaseRouter.Evaluation.Cli;

namespace PhaseRouter.Evaluation.Tests;

/// <summary>Runs the command line in-process with captured stdout, stderr and console.</summary>
internal static class Cli
{
    public static async Task<(int Code, string Error, string Console)> Run(params string[] args)
    {
        using var console = new TestConsole();
        using var error = new StringWriter();
        using var output = new StringWriter();
        int code = await new EvaluationCommand(console.Console, error).InvokeAsync(args, output);
        return (code, error.ToString(), console.Output + output);
    }
}
