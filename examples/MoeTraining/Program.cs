using PhaseRouter.Examples.MoeTraining.Cli;
using PhaseRouter.Examples.MoeTraining.Training;

var command = new MoeTrainingCommand(ExperimentApp.RunAsync);
return await command.InvokeAsync(args);
