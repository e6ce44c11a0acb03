using System.Text.Json.Nodes;

namespace MmUpt.Onnx.Export;

/// <summary>The tokenizer files ORT GenAI reads (onnxruntime-extensions <c>TokenJsonConfig::Load</c>) and how many ids they use.</summary>
internal static class TokenizerFiles
{
    public static readonly string[] Required = ["tokenizer.json", "tokenizer_config.json"];

    public static readonly string[] Optional =
        ["special_tokens_map.json", "chat_template.json", "chat_template.jinja", "vocab.json", "merges.txt", "added_tokens.json"];

    /// <summary>1 + the largest id in tokenizer.json's vocab and added_tokens.</summary>
    public static int IdCount(string tokenizerJsonPath)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(tokenizerJsonPath))
                       ?? throw new CheckpointRejectedException($"{tokenizerJsonPath} is empty");
            var max = -1;
            if (root["model"]?["vocab"] is JsonObject vocab)
            {
                foreach (var (_, id) in vocab)
                {
                    max = Math.Max(max, id?.GetValue<int>() ?? -1);
                }
            }
            if (root["added_tokens"] is JsonArray added)
            {
                foreach (var t in added)
                {
                    max = Math.Max(max, t?["id"]?.GetValue<int>() ?? -1);
                }
            }
            return max + 1;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new CheckpointRejectedException($"{tokenizerJsonPath}: not a tokenizer.json with integer ids ({ex.Message})");
        }
    }
}
