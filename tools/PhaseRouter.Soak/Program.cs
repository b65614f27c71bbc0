using PhaseRouter.Soak;

return SoakCommand.Invoke(args);
