using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using MmUpt.Rollout.Engine;

namespace MmUpt.Rollout.Weights;

/// <summary>
/// The ONNX graphs of the served folder (vision, embedding, decoder, as <c>genai_config.json</c> names them), read once
/// and pinned for the life of the process: every weights version is built from these bytes with
/// <c>Config.AddModelData</c>, whose native side keeps the raw pointer. With every weight in external data the graphs
/// are small; only the <c>*.onnx.data</c> files differ per version.
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
    }

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
    /// Gives <paramref name="config"/> the graphs from memory and points every session's external data at
    /// <paramref name="weightsFolder"/> (ORT's <c>session.model_external_initializers_file_folder_path</c>; ORT GenAI
    /// defaults it to the config folder for in-memory graphs only when the config does not set it).
    /// </summary>
    public void Apply(Microsoft.ML.OnnxRuntimeGenAI.Config config, string weightsFolder)
    {
        var model = new JsonObject();
        foreach (var (section, file, bytes) in Graphs)
        {
            config.AddModelData(file, bytes);
            model[section] = new JsonObject
            {
                ["session_options"] = new JsonObject { ["session.model_external_initializers_file_folder_path"] = Path.GetFullPath(weightsFolder) },
            };
        }
        config.Overlay(new JsonObject { ["model"] = model }.ToJsonString());
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
