using MathNet.Numerics.Statistics;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>The mean and sample standard deviation (divisor n − 1; 0 for one value) of a metric over seeds.</summary>
/// <param name="Mean">Mean.</param>
/// <param name="Std">Sample standard deviation.</param>
/// <param name="Values">The values, in seed order.</param>
public sealed record MeanStd(double Mean, double Std, IReadOnlyList<double> Values)
{
    /// <summary>Summarises <paramref name="values"/> (at least one).</summary>
    public static MeanStd Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("No values to summarise.", nameof(values));
        }

        double std = values.Count > 1 ? values.StandardDeviation() : 0;
        return new MeanStd(values.Mean(), std, values);
    }
}
