using MmUpt.Checkpoint.Safetensors;

namespace MmUpt.Checkpoint;

/// <summary>
/// The one tensor check: the stored tensors of a checkpoint (either name layout) against
/// <see cref="Qwen25VLWeights.Expected"/> for its config.json — every expected tensor present with its shape, no
/// unknown tensor, no parameter stored twice under both layouts, every dtype a floating-point one. A tied checkpoint may still carry
/// <c>lm_head.weight</c> (a copy of the embedding); it is ignored. The TorchSharp loader and the ONNX exporter both
/// run it on the headers alone, before any tensor data is read or any model memory allocated.
/// </summary>
public static class Qwen25VLWeightCheck
{
    /// <param name="source">The checkpoint folder, named in the error.</param>
    /// <returns>Canonical (flat-layout) name → stored name, for every expected tensor.</returns>
    /// <exception cref="CheckpointFormatException">Listing every missing, unexpected and mismatched tensor at once.</exception>
    public static IReadOnlyDictionary<string, string> Run(Qwen25VLConfig config, SafetensorsCheckpoint checkpoint, string source)
    {
        var storedNames = checkpoint.Names;
        IReadOnlyDictionary<string, string> stored;
        try
        {
            stored = WeightNames.CanonicalMap(storedNames);
        }
        catch (CheckpointFormatException ex)
        {
            throw new CheckpointFormatException($"{source}: {ex.Message}", ex);
        }
        var expected = Qwen25VLWeights.Expected(config);
        var expectedNames = expected.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        var mismatched = new List<string>();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in expected)
        {
            if (!stored.TryGetValue(spec.Name, out var name))
            {
                missing.Add($"{spec.Name} {Dims(spec.Shape)}");
                continue;
            }
            var info = checkpoint.Info(name);
            if (!info.Shape.SequenceEqual(spec.Shape))
            {
                mismatched.Add($"{name}: config.json implies {Dims(spec.Shape)}, checkpoint has {Dims(info.Shape)}");
            }
            else if (info.DType is not (SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.F64))
            {
                mismatched.Add($"{name}: dtype {info.DType}, weights must be F32, F16, BF16 or F64");
            }
            result[spec.Name] = name;
        }
        var unexpected = stored.Where(kv => !expectedNames.Contains(kv.Key) && !(config.TieWordEmbeddings && kv.Key == "lm_head.weight"))
            .Select(kv => kv.Value).Order(StringComparer.Ordinal).ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            throw new CheckpointFormatException($"{source}: weights do not fit config.json" +
                Section("missing", missing) + Section("unexpected", unexpected) + Section("shape or dtype mismatch", mismatched));
        }
        return result;
    }

    private static string Dims(IEnumerable<long> shape) => $"[{string.Join(",", shape)}]";

    private static string Section(string title, List<string> items) =>
        items.Count == 0 ? "" : $"\n  {title} ({items.Count}): " + string.Join(", ", items.Take(20)) + (items.Count > 20 ? ", ..." : "");
}
