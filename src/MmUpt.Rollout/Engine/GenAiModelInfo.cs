using System.Text.Json.Nodes;

namespace MmUpt.Rollout.Engine;

/// <summary>The token ids and limits of an exported model, read from its <c>genai_config.json</c>.</summary>
public sealed record GenAiModelInfo(string Type, int VocabSize, int ContextLength, int PadTokenId, IReadOnlySet<int> EosTokenIds,
    int? ImageTokenId, int? VisionStartTokenId)
{
    public const string FileName = "genai_config.json";

    public static GenAiModelInfo Load(string modelDir)
    {
        var path = Path.Combine(modelDir, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{modelDir} is not an exported model folder: {FileName} is missing (run mmupt export)", path);
        }
        var model = JsonNode.Parse(File.ReadAllText(path))?["model"]
                    ?? throw new InvalidDataException($"{path} has no \"model\" section");
        int Required(string key) => model[key]?.GetValue<int>() ?? throw new InvalidDataException($"{path}: model.{key} is missing");
        var eos = model["eos_token_id"] switch
        {
            JsonArray array => array.Select(e => e!.GetValue<int>()).ToHashSet(),
            JsonValue value => [value.GetValue<int>()],
            _ => new HashSet<int> { Required("pad_token_id") },
        };
        return new GenAiModelInfo(model["type"]?.GetValue<string>() ?? "", Required("vocab_size"), Required("context_length"),
            Required("pad_token_id"), eos, model["image_token_id"]?.GetValue<int>(), model["vision_start_token_id"]?.GetValue<int>());
    }
}
