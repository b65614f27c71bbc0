using PhaseRouter.Examples.MlNetMixture;

return await new MlNetMixtureCommand().Root.Parse(args).InvokeAsync();
