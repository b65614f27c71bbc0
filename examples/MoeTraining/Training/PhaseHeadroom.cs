namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>How much of its capacity the phase gate leaves unused in training.</summary>
/// <param name="Capacity">Capacity per expert.</param>
/// <param name="P99Load">Largest per-expert p99 load.</param>
/// <param name="MaxLoad">Largest load of any expert in any step (never above the capacity).</param>
/// <param name="HeadroomSlots">Capacity − p99 load of the busiest expert.</param>
/// <param name="HeadroomFraction"><see cref="HeadroomSlots"/> / capacity.</param>
/// <param name="Utilisation">Mean load / capacity.</param>
/// <param name="DroppedSlotRate">Dropped slots / slots in training.</param>
/// <param name="CapacityFactorSaved">
/// The capacity factor softmax routing needs for no drop minus the factor the phase gate trained with (it dropped
/// <see cref="DroppedSlotRate"/> at that factor); null without a softmax run.
/// </param>
public sealed record PhaseHeadroom(
    int Capacity,
    double P99Load,
    int MaxLoad,
    double HeadroomSlots,
    double HeadroomFraction,
    double Utilisation,
    double DroppedSlotRate,
    double? CapacityFactorSaved);
