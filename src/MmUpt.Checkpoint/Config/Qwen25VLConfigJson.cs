using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MmUpt.Checkpoint;

/// <summary>
/// Reads and writes <c>config.json</c>. Newer transformers files may keep the text fields only under
/// <c>text_config</c>; those are lifted to the top level for reading and not duplicated on writing.
/// </summary>
public static class Qwen25VLConfigJson
{
    public const string FileName = "config.json";

    internal static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const string LiftedMarker = "__mmupt_lifted_from_text_config";

    public static Qwen25VLConfig Parse(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip })?.AsObject()
                   ?? throw new CheckpointFormatException("config.json is empty");
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException($"config.json is not valid JSON: {ex.Message}", ex);
        }
        var lifted = new JsonArray();
        if (root["text_config"] is JsonObject text)
        {
            foreach (var (key, value) in text)
            {
                if (!root.ContainsKey(key) && key != "model_type")
                {
                    root[key] = value?.DeepClone();
                    lifted.Add(key);
                }
            }
        }
        if (lifted.Count > 0) root[LiftedMarker] = lifted;
        try
        {
            return root.Deserialize<Qwen25VLConfig>(Options) ?? throw new CheckpointFormatException("config.json is null");
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException($"config.json field {ex.Path}: {ex.Message}", ex);
        }
    }

    public static string Serialize(Qwen25VLConfig config)
    {
        var node = JsonSerializer.SerializeToNode(config, Options)!.AsObject();
        if (node[LiftedMarker] is JsonArray lifted)
        {
            foreach (var key in lifted) node.Remove(key!.GetValue<string>());
            node.Remove(LiftedMarker);
        }
        return node.ToJsonString(Options);
    }

    public static Qwen25VLConfig Load(string folderOrFile)
    {
        var path = Directory.Exists(folderOrFile) ? Path.Combine(folderOrFile, FileName) : folderOrFile;
        if (!File.Exists(path)) throw new CheckpointFormatException($"{path} does not exist");
        return Parse(File.ReadAllText(path));
    }

    public static void Save(Qwen25VLConfig config, string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FileName), Serialize(config) + "\n");
    }
}
