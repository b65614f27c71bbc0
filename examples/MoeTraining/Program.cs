using PhaseRouter.Examples.MoeTraining.Cli;
using PhaseRouter.Examples.MoeTraining.Training;

// libtorch's OpenMP threads would otherwise spin and starve the router's threads (see OpenMpWaitPolicy).
PhaseRouter.TorchSharp.OpenMpWaitPolicy.PreferPassive();
var command = new MoeTrainingCommand(ExperimentApp.RunAsync);
return await command.InvokeAsync(args);
