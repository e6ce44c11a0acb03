using System.Text.Json;

namespace MmUpt.Cli;

/// <summary>
/// Checks an exported ORT GenAI folder (<c>mmupt export</c>) before the engine loads it, so a missing or corrupt file
/// is one line naming it rather than a native error from deep inside ORT GenAI: <c>genai_config.json</c> (valid JSON
/// with the token ids the engine reads), every ONNX file it names, <c>tokenizer.json</c> and <c>tokenizer_config.json</c>.
/// </summary>
public static class ModelFolderCheck
{
    private const string GenAiConfig = "genai_config.json";

    /// <summary>Null when the folder looks loadable, else the problem.</summary>
    public static string? Problem(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            return File.Exists(full)
                ? $"{full} is a file; give the exported model folder (with {GenAiConfig})"
                : $"folder not found: {full} (an exported model folder with {GenAiConfig}: run mmupt export)";
        }
        var config = Path.Combine(full, GenAiConfig);
        if (!File.Exists(config))
        {
            return $"{full} is not an exported model folder: {GenAiConfig} is missing (run mmupt export)";
        }
        if (ConfigProblem(config, full) is { } problem)
        {
            return problem;
        }
        foreach (var name in new[] { "tokenizer.json", "tokenizer_config.json" })
        {
            if (!File.Exists(Path.Combine(full, name)))
            {
                return $"{full}: {name} is missing";
            }
        }
        return null;
    }

    private static string? ConfigProblem(string path, string folder)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            return $"{path} is not valid JSON: {ex.Message}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{path} cannot be read: {ex.Message}";
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            {
                return $"{path} has no \"model\" object";
            }
            foreach (var key in new[] { "vocab_size", "context_length", "pad_token_id" })
            {
                if (!model.TryGetProperty(key, out var v) || !v.TryGetInt32(out var n) || n < 0)
                {
                    return $"{path}: model.{key} must be a non-negative integer";
                }
            }
            var onnx = 0;
            foreach (var part in new[] { "decoder", "embedding", "vision" })
            {
                if (!model.TryGetProperty(part, out var section))
                {
                    continue;
                }
                if (section.ValueKind != JsonValueKind.Object || !section.TryGetProperty("filename", out var file)
                    || file.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(file.GetString()))
                {
                    return $"{path}: model.{part}.filename must be a file name";
                }
                if (!File.Exists(Path.Combine(folder, file.GetString()!)))
                {
                    return $"{folder}: {file.GetString()} (model.{part}.filename in {GenAiConfig}) is missing";
                }
                onnx++;
            }
            return onnx == 0 ? $"{path}: model.decoder is missing" : null;
        }
    }
}
