using MmUpt.Checkpoint;
using MmUpt.Onnx.Graph;
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
    /// config first (every weight present with its shape), as the export checks a checkpoint. Builds the graphs for this
    /// one call: a publisher writing many versions keeps a <see cref="Qwen25VLVersionWriter"/>.
    /// </summary>
    public static IReadOnlyList<WrittenDataFile> Write(Qwen25VLConfig config, IWeightSource source, string outFolder,
        Qwen25VLExportOptions options) => new Qwen25VLVersionWriter(config, options).Write(source, outFolder);
}

/// <summary>
/// Writes successive weights versions of one config and export options (<see cref="Qwen25VLWeightsWriter"/>). The three
/// graphs, which only fix where each weight goes, are built on the first version over a source that every later
/// version swaps in, so a version costs only its bytes (throwaway timing, tiny preset: 15–23 ms per version with the
/// graphs built each time, 13 ms without; small: 32–38 → 23 ms). One version at a time.
/// </summary>
public sealed class Qwen25VLVersionWriter
{
    private readonly Qwen25VLConfig _config;
    private readonly Qwen25VLExportOptions _options;
    private readonly SwappedWeights _source = new();
    private List<(string File, OnnxModel Model)>? _models;
    private string[] _names = [];

    public Qwen25VLVersionWriter(Qwen25VLConfig config, Qwen25VLExportOptions options)
    {
        if (options.ExternalData != ExternalDataMode.Always)
        {
            throw new ArgumentException(
                $"ExternalData: weights versions pair with exports written with --external-data always (got {options.ExternalData})", nameof(options));
        }
        (_config, _options) = (config, options);
    }

    /// <summary>
    /// Writes <paramref name="source"/>'s weights as the data files of a version into <paramref name="outFolder"/>; each
    /// file's SHA-256 is computed as it is written.
    /// </summary>
    public IReadOnlyList<WrittenDataFile> Write(IWeightSource source, string outFolder)
    {
        try
        {
            Qwen25VLWeightCheck.Run(_config, source.Names, n => (source.Shape(n) ?? [], null), "weights version");
        }
        catch (CheckpointFormatException ex)
        {
            throw new CheckpointRejectedException(ex.Message);
        }
        Directory.CreateDirectory(outFolder);
        _source.Current = source;
        try
        {
            // The graphs bind each weight to its name in the source: rebuilt if a source names them differently.
            var names = source.Names.ToArray();
            if (_models is null || !names.SequenceEqual(_names, StringComparer.Ordinal))
            {
                _models = Qwen25VLExporter.BuildModels(_config, _source, _options).ToList();
                _names = names;
            }
            return _models.Select(m => OnnxModelWriter.WriteExternalDataOnly(m.Model, Path.Combine(outFolder, m.File))).ToList();
        }
        finally
        {
            _source.Current = null;
        }
    }

    /// <summary>The source of the version being written.</summary>
    private sealed class SwappedWeights : IWeightSource
    {
        public IWeightSource? Current { get; set; }

        private IWeightSource Source => Current ?? throw new InvalidOperationException("no weights version is being written");

        public IEnumerable<string> Names => Source.Names;

        public long[]? Shape(string name) => Source.Shape(name);

        public float[] ReadFloat32(string name) => Source.ReadFloat32(name);

        public void ReadFloat32(string name, long firstElement, Span<float> destination) => Source.ReadFloat32(name, firstElement, destination);
    }
}
