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

    /// <summary>Largest config.json read (real ones are a few kB): a wrong path such as /dev/zero fails fast.</summary>
    public const int MaxBytes = 16 << 20;

    /// <param name="source">The file name or path the JSON came from, used in every error message.</param>
    public static Qwen25VLConfig Parse(string json, string source = FileName)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException($"{source} is not valid JSON: {ex.Message}", ex);
        }
        if (parsed is not JsonObject root)
        {
            throw new CheckpointFormatException($"{source}: the top level must be a JSON object, got {Kind(parsed)}");
        }
        var lifted = new JsonArray();
        switch (root["text_config"])
        {
            case null:
                break;
            case JsonObject text:
                foreach (var (key, value) in text)
                {
                    if (!root.ContainsKey(key) && key != "model_type")
                    {
                        root[key] = value?.DeepClone();
                        lifted.Add(key);
                    }
                }
                break;
            case var other:
                throw new CheckpointFormatException($"{source} field text_config: must be an object, got {Kind(other)}");
        }
        if (lifted.Count > 0) root[LiftedMarker] = lifted;
        Qwen25VLConfig config;
        try
        {
            config = root.Deserialize<Qwen25VLConfig>(Options) ?? throw new CheckpointFormatException($"{source} is null");
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException($"{source} field {FieldName(ex.Path)}: wrong type or value ({FirstSentence(ex.Message)})", ex);
        }
        CheckLooseFields(config, source);
        return config;
    }

    /// <summary>The two fields typed loosely for the round trip (int or list; extension data): checked here, once.</summary>
    private static void CheckLooseFields(Qwen25VLConfig c, string source)
    {
        var ok = c.EosTokenId switch
        {
            null => true,
            JsonArray a => a.All(IsInt),
            var v => IsInt(v),
        };
        if (!ok) throw new CheckpointFormatException($"{source} field eos_token_id: must be an integer or a list of integers");
        if (c.VisionConfig is null) throw new CheckpointFormatException($"{source} field vision_config: must be an object, got null");
        if (c.VisionConfig.Extra is { } extra && extra.TryGetValue("in_channels", out var ch) && !(ch.ValueKind == JsonValueKind.Number && ch.TryGetInt32(out _)))
            throw new CheckpointFormatException($"{source} field vision_config.in_channels: must be an integer");
    }

    private static bool IsInt(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out _);

    private static string Kind(JsonNode? n) => n is null ? "null" : n.GetValueKind().ToString().ToLowerInvariant();

    private static string FieldName(string? path) => string.IsNullOrEmpty(path) ? "(top level)" : path.StartsWith("$.") ? path[2..] : path;

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
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
        return Parse(ReadBounded(path), path);
    }

    private static string ReadBounded(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[MaxBytes + 1];
            int total = 0, read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0) total += read;
            if (total > MaxBytes) throw new CheckpointFormatException($"{path} is larger than {MaxBytes >> 20} MiB; a config.json is a few kB");
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
        {
            throw new CheckpointFormatException($"{path} cannot be read as UTF-8 text: {ex.Message}", ex);
        }
    }

    public static void Save(Qwen25VLConfig config, string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FileName), Serialize(config) + "\n");
    }
}
