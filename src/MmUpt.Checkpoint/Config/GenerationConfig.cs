using System.Text.Json;
using System.Text.Json.Nodes;

namespace MmUpt.Checkpoint;

/// <summary><c>generation_config.json</c>: neutral sampling defaults (no penalties, full distribution) for RL rollouts.</summary>
public static class GenerationConfig
{
    public const string FileName = "generation_config.json";

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
