using PhaseRouter.Evaluation.Cli;
using Spectre.Console;

var command = new EvaluationCommand(AnsiConsole.Console, Console.Error);
return await command.InvokeAsync(args);
