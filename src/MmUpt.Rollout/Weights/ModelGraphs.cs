using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;
using MmUpt.Rollout.Engine;

namespace MmUpt.Rollout.Weights;

/// <summary>
/// The ONNX graphs of the served folder (vision, embedding, decoder, as <c>genai_config.json</c> names them), read once
/// and pinned for the life of the process: every weights version is built from these bytes with
/// <c>Config.AddModelData</c>, whose native side keeps the raw pointer, so no graph is re-read or re-written per
/// version. With every weight in external data the graphs are small; only the <c>*.onnx.data</c> files differ.
/// <para>
/// On the CPU, ONNX Runtime maps external data files into memory and reads each weight where it lies, unless it makes
/// a copy at load: a pre-packed GEMM weight (ORT GenAI 0.18 loses the config's <c>session.disable_prepacking</c> for
/// the vision session when <c>--threads</c> overlays the sessions' options, so the vision graph declares its weights as
/// graph inputs, which are never pre-packed) or a folded cast of a bf16/fp16 export. The graph's own constants are the
/// same in every version, so a copy of them does no harm. <see cref="WeightsReadInPlace"/> says whether the graphs avoid both; then a model's
/// weights are the bytes of its data files, and writing another version into those files (<see cref="Overwrite"/>,
/// while no generator runs on the model) makes the model that version.
/// </para>
/// </summary>
public sealed class ModelGraphs : IDisposable
{
    private readonly List<GCHandle> _pins = [];

    private ModelGraphs(string folder, IReadOnlyList<(string Section, string File, byte[] Bytes)> graphs)
    {
        Folder = folder;
        Graphs = graphs;
        foreach (var graph in graphs)
        {
            _pins.Add(GCHandle.Alloc(graph.Bytes, GCHandleType.Pinned));
        }
        DataFiles = Directory.EnumerateFiles(folder, "*.onnx.data").ToDictionary(f => Path.GetFileName(f), f => new FileInfo(f).Length);
        WeightsReadInPlaceProblem = graphs.Select(g => InPlaceProblem(g.Section, g.File, g.Bytes)).FirstOrDefault(p => p is not null);
        VersionsProblem = graphs.Where(g => g.Section == "decoder").Select(g => LayoutProblem(g.File, g.Bytes)).FirstOrDefault();
    }

    /// <summary>
    /// Why weights versions written by this build cannot be served with these graphs (one line naming the file), or null:
    /// an export from before the text decoder stored its weights [out, in] (2026-12-02) would take a version's bytes in
    /// the other order — silently, for square matrices.
    /// </summary>
    public string? VersionsProblem { get; }

    /// <summary>
    /// Whether ONNX Runtime reads every weight of these graphs from the data files in place on the CPU (fp32 weights in
    /// external data, and the vision graph's weights graph inputs); see the class summary.
    /// </summary>
    public bool WeightsReadInPlace => WeightsReadInPlaceProblem is null;

    /// <summary>Why <see cref="WeightsReadInPlace"/> is false (one line naming the file), or null.</summary>
    public string? WeightsReadInPlaceProblem { get; }

    public string Folder { get; }

    /// <summary>Per <c>genai_config.json</c> section (decoder, embedding, vision): its graph's file name and bytes.</summary>
    public IReadOnlyList<(string Section, string File, byte[] Bytes)> Graphs { get; }

    /// <summary>The external data files of the served folder and their sizes: what every version must hold.</summary>
    public IReadOnlyDictionary<string, long> DataFiles { get; }

    /// <summary>The <c>genai_config.json</c> sections that name a graph file.</summary>
    public static readonly string[] Sections = ["decoder", "embedding", "vision"];

    public static ModelGraphs Load(string folder)
    {
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, GenAiModelInfo.FileName)))?["model"]
                    ?? throw new InvalidDataException($"{folder}/{GenAiModelInfo.FileName} has no \"model\" section");
        var graphs = new List<(string, string, byte[])>();
        foreach (var section in Sections)
        {
            if (model[section]?["filename"]?.GetValue<string>() is { } file)
            {
                graphs.Add((section, file, File.ReadAllBytes(Path.Combine(folder, file))));
            }
        }
        return new ModelGraphs(folder, graphs);
    }

    /// <summary>
    /// Assembles <paramref name="staging"/> as an ORT GenAI folder for the version in <paramref name="versionFolder"/>:
    /// the served folder's small files (genai_config.json, tokenizer, processor configs) and a fresh copy of the
    /// version's data files. ORT GenAI resolves the external data of in-memory graphs against the config folder; 0.18
    /// joins a <c>session.model_external_initializers_file_folder_path</c> set in the config onto that folder as a string
    /// (an absolute path becomes "{folder}//abs/...") and rejects ".." in config paths, so the data must sit in the
    /// config folder itself. Copies, not links: a published file is never shared with a live model by inode.
    /// </summary>
    public void Stage(string versionFolder, string staging)
    {
        Directory.CreateDirectory(staging);
        var graphFiles = Graphs.Select(g => g.File).ToHashSet();
        foreach (var file in Directory.EnumerateFiles(Folder))
        {
            var name = Path.GetFileName(file);
            if (!graphFiles.Contains(name) && !DataFiles.ContainsKey(name))
            {
                File.Copy(file, Path.Combine(staging, name), overwrite: true);
            }
        }
        foreach (var name in DataFiles.Keys)
        {
            File.Copy(Path.Combine(versionFolder, name), Path.Combine(staging, name), overwrite: true);
        }
    }

    /// <summary>
    /// Writes the data files of <paramref name="versionFolder"/> over those of <paramref name="staged"/> (a folder that
    /// <see cref="Stage"/> assembled), byte for byte in place: same files, same lengths, never truncated, so a model
    /// mapping them sees the new weights. Each file's SHA-256 is computed on the way and checked against
    /// <paramref name="sha256"/> (file name → lower-case hex); <see cref="InvalidDataException"/> names the first file
    /// that differs, and the staged files are then neither version. The caller makes sure no generator runs on that model.
    /// </summary>
    public void Overwrite(string versionFolder, string staged, IReadOnlyDictionary<string, string> sha256)
    {
        const int Chunk = 1 << 20;
        // Pooled: a fresh 1 MiB array per version was a large-object allocation at every sync (gen-2 collections).
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            foreach (var (name, length) in DataFiles)
            {
                var from = Path.Combine(versionFolder, name);
                using var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                using var target = new FileStream(Path.Combine(staged, name), FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
                if (source.Length != length || target.Length != length)
                {
                    throw new IOException($"{name}: {source.Length} bytes in the version, {target.Length} staged, {length} served");
                }
                using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
                int read;
                while ((read = source.Read(buffer, 0, Chunk)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    target.Write(buffer, 0, read);
                }
                if (Convert.ToHexStringLower(hash.GetHashAndReset()) != sha256[name])
                {
                    throw new InvalidDataException($"{from}: SHA-256 differs from the manifest (corrupt)");
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The decoder's biases are columns [out, 1] in this build's layout (vectors [out] before it).</summary>
    private static string? LayoutProblem(string file, byte[] bytes)
    {
        var bias = ModelProto.Parser.ParseFrom(bytes).Graph.Initializer
            .FirstOrDefault(t => t.Name.EndsWith(".Add.bias", StringComparison.Ordinal) && t.Dims.Count != 2);
        return bias is null ? null
            : $"{file}: '{bias.Name}' has shape [{string.Join(", ", bias.Dims)}], the layout of exports made before the decoder's weights were stored [out, in]; " +
              "weights versions of this mmupt would be read in the wrong order: export the model again";
    }

    private static string? InPlaceProblem(string section, string file, byte[] bytes)
    {
        var graph = ModelProto.Parser.ParseFrom(bytes).Graph;
        var inputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var t in graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External
                                                       && !t.Name.StartsWith(GraphBuilder.ConstantPrefix, StringComparison.Ordinal)))
        {
            if (t.DataType != (int)TensorProto.Types.DataType.Float)
            {
                return $"{file}: weight '{t.Name}' is stored as {(TensorProto.Types.DataType)t.DataType}, and ONNX Runtime folds its cast to fp32 into a copy";
            }
            if (section == "vision" && !inputs.Contains(t.Name))
            {
                return $"{file}: weight '{t.Name}' is a constant, which ONNX Runtime pre-packs into a copy (exported before vision weights became graph inputs; export again)";
            }
        }
        return null;
    }

    /// <summary>Gives <paramref name="config"/> the graphs from memory (the bytes stay pinned for the process).</summary>
    public void Apply(Microsoft.ML.OnnxRuntimeGenAI.Config config)
    {
        foreach (var (_, file, bytes) in Graphs)
        {
            config.AddModelData(file, bytes);
        }
    }

    public void Dispose()
    {
        foreach (var pin in _pins)
        {
            pin.Free();
        }
        _pins.Clear();
    }
}
