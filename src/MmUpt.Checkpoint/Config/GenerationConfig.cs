using System.Text.Json;
using System.Text.Json.Nodes;

namespace MmUpt.Checkpoint;

/// <summary><c>generation_config.json</c>: neutral sampling defaults (no penalties, full distribution) for RL rollouts.</summary>
public static class GenerationConfig
{
    public const string FileName = "generation_config.json";

    /// <summary>
    /// The stop tokens as transformers' <c>generate</c> takes them: <c>eos_token_id</c> (an int or a list) of the
    /// folder's <c>generation_config.json</c>, then any of config.json's not already listed (Qwen2.5-VL:
    /// generation_config [151645, 151643] with config 151645 gives [151645, 151643]). Without the file, config.json's.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is not JSON, or an id is not an int in [0, vocab_size).</exception>
    public static IReadOnlyList<int> StopTokenIds(string folder, Qwen25VLConfig config)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return config.EosTokenIds();
        }
        JsonNode? eos;
        try
        {
            eos = JsonNode.Parse(File.ReadAllText(path))?["eos_token_id"];
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException($"{path}: {ex.Message}");
        }
        int[] ids;
        try
        {
            ids = eos switch
            {
                null => [],
                JsonArray list => list.Select(e => e!.GetValue<int>()).ToArray(),
                _ => [eos.GetValue<int>()],
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new CheckpointFormatException($"{path}: eos_token_id must be an int or a list of ints (got {eos!.ToJsonString()})");
        }
        if (ids.Where(id => id < 0 || id >= config.VocabSize).Select(id => (int?)id).FirstOrDefault() is { } outside)
        {
            throw new CheckpointFormatException($"{path}: eos_token_id {outside} is outside [0, vocab_size {config.VocabSize})");
        }
        return ids.Concat(config.EosTokenIds()).Distinct().ToArray();
    }

    public static void Write(string folder, int bosTokenId, int padTokenId, IReadOnlyList<int> eosTokenIds)
    {
        var json = new JsonObject
        {
            ["bos_token_id"] = bosTokenId,
            ["pad_token_id"] = padTokenId,
            ["eos_token_id"] = new JsonArray(eosTokenIds.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()),
            ["do_sample"] = true,
            ["temperature"] = 1.0,
            ["top_p"] = 1.0,
            ["top_k"] = 0,
            ["repetition_penalty"] = 1.0,
        };
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
