using MmUpt.Checkpoint;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// The single name/layout map from learner parameters (canonical HF names) to ONNX initializers, used by the export
/// (which initializer gets which tensor) and by weight publishing (which adapter parameter a trained tensor becomes):
/// the expected tensors of the config (<see cref="Qwen25VLWeights.Expected"/>) through <see cref="OnnxWeightNaming"/>.
/// </summary>
public sealed class Qwen25VLWeightMap
{
    private readonly List<WeightMapping> _all = [];
    private readonly Dictionary<string, WeightMapping> _byOnnx = new(StringComparer.Ordinal);

    public Qwen25VLWeightMap(Qwen25VLConfig config)
    {
        foreach (var spec in Qwen25VLWeights.Expected(config))
        {
            foreach (var (graph, onnxName, layout) in OnnxWeightNaming.For(spec, config))
            {
                Add(spec.Name, spec.Shape, graph, onnxName, layout);
            }
        }
    }

    public IReadOnlyList<WeightMapping> All => _all;

    /// <summary>Learner parameters, each once, in map order.</summary>
    public IEnumerable<string> Parameters => _all.Select(m => m.Parameter).Distinct(StringComparer.Ordinal);

    public IEnumerable<WeightMapping> ForGraph(Qwen25VLGraph graph) => _all.Where(m => m.Graph == graph);

    /// <summary>Every initializer fed by <paramref name="parameter"/> (either HF layout); empty for unknown names.</summary>
    public IReadOnlyList<WeightMapping> ForParameter(string parameter)
    {
        var canonical = WeightNames.ToCanonical(parameter);
        return _all.Where(m => m.Parameter == canonical).ToArray();
    }

    public WeightMapping ForOnnx(string onnxName) => _byOnnx.TryGetValue(onnxName, out var m)
        ? m
        : throw new KeyNotFoundException($"no learner parameter maps to ONNX initializer '{onnxName}'");

    private void Add(string parameter, long[] shape, Qwen25VLGraph graph, string onnxName, WeightLayout layout)
    {
        var m = new WeightMapping(parameter, shape, graph, onnxName, layout);
        _all.Add(m);
        _byOnnx.Add(onnxName, m);
    }
}
