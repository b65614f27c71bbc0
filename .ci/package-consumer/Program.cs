// One MoE forward pass with the phase gate, and one ML.NET capacity-bounded assignment, from the NuGet packages.
using Microsoft.ML;
using Microsoft.ML.Data;
using PhaseRouter.ML;
using PhaseRouter.TorchSharp;
using static TorchSharp.torch;

const int Experts = 8, ModelDim = 32, Tokens = 256;
manual_seed(1);
var gate = new PhaseRouterGate(ModelDim, new MoeGateOptions { Experts = Experts, K = 1, CapacityFactor = 1.0 });
using var layer = new MoeLayer(gate, ModelDim, hiddenDim: 64, Experts);
layer.eval();
using (var input = randn(Tokens, ModelDim))
using (var output = layer.call(input))
{
    var plan = layer.LastPlan ?? throw new InvalidOperationException("the layer kept no routing plan");
    int maxLoad = plan.GetExpertLoads().Max();
    Console.WriteLine($"MoeLayer: output [{string.Join(", ", output.shape)}], max expert load {maxLoad} of capacity {plan.Capacity}");
    if (!output.shape.SequenceEqual(input.shape) || maxLoad > plan.Capacity)
    {
        return 1;
    }
}

var ml = new MLContext(seed: 1);
var random = new Random(3);
var rows = Enumerable.Range(0, 100)
    .Select(_ => new Row { Scores = Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble()).ToArray() })
    .ToArray();
var data = ml.Data.LoadFromEnumerable(rows);
var assigned = ml.Transforms.AssignWithCapacity("Assigned", "Scores", k: 1, capacityFactor: 1.0, seed: 7).Fit(data).Transform(data);
int[] loads = new int[4];
foreach (var a in assigned.GetColumn<VBuffer<int>>("Assigned"))
{
    foreach (int c in a.DenseValues())
    {
        if (c >= 0) loads[c]++;
    }
}

Console.WriteLine($"AssignWithCapacity: loads {string.Join(", ", loads)} (capacity 25 each)");
return loads.Max() <= 25 && loads.Sum() == 100 ? 0 : 1;

/// <summary>One input row: a score per class.</summary>
internal sealed class Row
{
    [VectorType(4)]
    public float[] Scores { get; set; } = [];
}
