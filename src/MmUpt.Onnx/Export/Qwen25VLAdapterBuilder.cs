using MmUpt.Checkpoint;
using MmUpt.Onnx.AdapterFiles;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;
using MmUpt.Onnx.Qwen25VL;

namespace MmUpt.Onnx.Export;

/// <summary>
/// Learner tensors (HF names, either layout) → ORT adapter parameters, one adapter per ONNX file, using the same
/// <see cref="Qwen25VLWeightMap"/> and storage type as the export, so each parameter overrides exactly the initializer
/// the export made for it. A tied embedding yields both the embedding table and the decoder's transposed lm_head.
/// </summary>
public sealed class Qwen25VLAdapterBuilder(Qwen25VLConfig config, ExportDtype dtype = ExportDtype.Fp32)
{
    private readonly Qwen25VLWeightMap _map = new(config);

    public TensorProto.Types.DataType StoredType { get; } = dtype.OnnxType();

    public Qwen25VLWeightMap Map => _map;

    /// <summary>Adapter parameters per ONNX file for the given tensors; unknown names and wrong shapes are refused.</summary>
    public IReadOnlyDictionary<Qwen25VLGraph, IReadOnlyList<AdapterParameter>> Build(IWeightSource weights)
    {
        var result = new SortedDictionary<Qwen25VLGraph, List<AdapterParameter>>();
        foreach (var name in weights.Names)
        {
            var mappings = _map.ForParameter(name);
            if (mappings.Count == 0)
            {
                if (WeightNames.ToCanonical(name) == "lm_head.weight" && config.TieWordEmbeddings)
                {
                    continue;
                }
                throw new ArgumentException($"'{name}' is not a parameter of this Qwen2.5-VL export");
            }
            var shape = weights.Shape(name)!;
            if (!shape.SequenceEqual(mappings[0].ParameterShape))
            {
                throw new ArgumentException(
                    $"'{name}' has shape [{string.Join(",", shape)}], the export expects [{string.Join(",", mappings[0].ParameterShape)}]");
            }
            var data = weights.ReadFloat32(name);
            foreach (var m in mappings)
            {
                var raw = TensorEncoding.EncodeFloats(WeightLayouts.ToOnnx(m.Layout, data, m.ParameterShape), StoredType);
                if (!result.TryGetValue(m.Graph, out var list))
                {
                    result[m.Graph] = list = [];
                }
                list.Add(new AdapterParameter(m.OnnxName, m.OnnxShape, StoredType, raw));
            }
        }
        return result.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<AdapterParameter>)kv.Value);
    }

    /// <summary>Writes "{prefix}.{graph}.onnx_adapter" for every file with parameters; returns the paths by graph.</summary>
    public IReadOnlyDictionary<Qwen25VLGraph, string> Write(IWeightSource weights, string pathPrefix, int adapterVersion)
    {
        var paths = new Dictionary<Qwen25VLGraph, string>();
        foreach (var (graph, parameters) in Build(weights))
        {
            var path = $"{pathPrefix}.{graph.ToString().ToLowerInvariant()}.onnx_adapter";
            OnnxAdapterFile.Write(path, parameters, adapterVersion);
            paths[graph] = path;
        }
        return paths;
    }

    /// <summary>All parameters in one file, for the single-file text-only export.</summary>
    public long WriteSingle(IWeightSource weights, string path, int adapterVersion) =>
        OnnxAdapterFile.Write(path, Build(weights).SelectMany(kv => kv.Value), adapterVersion);
}
