using MmUpt.Checkpoint;
using MmUpt.Onnx.Qwen25VL;
using MmUpt.Onnx.Writing;

namespace MmUpt.Onnx.Export;

/// <summary>
/// The weights of a version in the form a rollout worker loads next to graphs it already holds: exactly the external
/// data files (<c>vision.onnx.data</c>, <c>embedding.onnx.data</c>, <c>decoder.onnx.data</c>) that
/// <see cref="Qwen25VLExporter.Export"/> with <see cref="ExternalDataMode.Always"/> writes for these weights — same
/// names, offsets, dtype and bytes — without the .onnx files. The graphs are built by the exporter's own code and the
/// data written by <see cref="OnnxModelWriter"/>'s own loop, so the layout cannot drift from the export's. A version
/// pairs with an export of the same config.json and the same <see cref="Qwen25VLExportOptions"/> (dtype, logits).
/// </summary>
public static class Qwen25VLWeightsWriter
{
    /// <summary>The file names a version holds, in the order they are written.</summary>
    public static IReadOnlyList<string> DataFileNames { get; } =
        [.. new[] { Qwen25VLGraph.Vision, Qwen25VLGraph.Embedding, Qwen25VLGraph.Decoder }.Select(g => Qwen25VLFileNames.Default.For(g) + ".data")];

    /// <summary>
    /// Writes the data files into <paramref name="outFolder"/>. <paramref name="source"/> is checked against the
    /// config first (every weight present with its shape), as the export checks a checkpoint.
    /// </summary>
    public static IReadOnlyList<FileInfo> Write(Qwen25VLConfig config, IWeightSource source, string outFolder,
        Qwen25VLExportOptions options)
    {
        if (options.ExternalData != ExternalDataMode.Always)
        {
            throw new ArgumentException(
                $"ExternalData: weights versions pair with exports written with --external-data always (got {options.ExternalData})", nameof(options));
        }
        try
        {
            Qwen25VLWeightCheck.Run(config, source.Names, n => (source.Shape(n) ?? [], null), "weights version");
        }
        catch (CheckpointFormatException ex)
        {
            throw new CheckpointRejectedException(ex.Message);
        }
        Directory.CreateDirectory(outFolder);
        return Qwen25VLExporter.BuildModels(config, source, options)
            .Select(m => new FileInfo(OnnxModelWriter.WriteExternalDataOnly(m.Model, Path.Combine(outFolder, m.File))))
            .ToList();
    }
}
