namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>The columns of the gate comparison, in order (console table, summary.md, summary.json).</summary>
public static class RunMetrics
{
    /// <summary>Every metric of the comparison.</summary>
    public static IReadOnlyList<RunMetric> All { get; } =
    [
        new("testAccuracy", "test acc", r => r.TestAccuracy, "P2"),
        new("finalLoss", "final loss", r => r.FinalLoss, "F4"),
        new("trainDroppedSlotRate", "dropped train", r => r.TrainDroppedSlotRate, "P2"),
        new("droppedSlotRate", "dropped test", r => r.DroppedSlotRate, "P2"),
        new("trainSpilledSlotRate", "spilled train", r => r.TrainSpilledSlotRate, "P2"),
        new("trainNoExpertRate", "no expert train", r => r.TrainNoExpertRate, "P2"),
        new("maxVioBatch", "MaxVio batch", r => r.MaxVioBatch, "F3"),
        new("maxVioBatchDemand", "MaxVio demand", r => r.MaxVioBatchDemand, "F3"),
        new("maxVioGlobal", "MaxVio global", r => r.MaxVioGlobal, "F3"),
        new("routerMsPerBatch", "router ms", r => r.RouterMsPerBatch, "F2"),
        new("stepMs", "step ms", r => r.StepMs, "F1"),
        new("seconds", "seconds", r => r.Seconds, "F1"),
    ];
}
