using MmUpt.Checkpoint;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// Adds mapped weights to a graph as initializers — overridable ones (also graph inputs, for ORT adapters) when
/// <paramref name="overridable"/> — (lazy: the checkpoint tensor is streamed, laid out and
/// encoded only when the file is written, <see cref="WeightPayload"/>) and hands back the fp32 value to compute with.
/// </summary>
internal sealed class WeightBinder(GraphBuilder g, Qwen25VLWeightMap map, IWeightSource source, ExportDtype dtype, bool overridable)
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sourceNames = source.Names
        .GroupBy(WeightNames.ToCanonical, StringComparer.Ordinal)
        .ToDictionary(x => x.Key, x => x.First(), StringComparer.Ordinal);

    public TensorProto.Types.DataType StoredType { get; } = dtype.OnnxType();

    /// <summary>The fp32 value of ONNX initializer <paramref name="onnxName"/>.</summary>
    public string this[string onnxName]
    {
        get
        {
            if (_values.TryGetValue(onnxName, out var value))
            {
                return value;
            }
            var m = map.ForOnnx(onnxName);
            var name = g.Initializer(onnxName, new WeightPayload(m, source, SourceName(m.Parameter), StoredType), overridable);
            value = StoredType == TensorProto.Types.DataType.Float ? name : g.Cast(name, TensorProto.Types.DataType.Float);
            _values[onnxName] = value;
            return value;
        }
    }

    private string SourceName(string canonical) =>
        _sourceNames.TryGetValue(canonical, out var name) ? name : throw new CheckpointRejectedException($"checkpoint has no tensor '{canonical}'");
}
