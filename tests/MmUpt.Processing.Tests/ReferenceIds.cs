using System.Text.Json;

namespace MmUpt.Processing.Tests;

/// <summary>
/// TokenizerReference/expected-ids.json: Hugging Face tokenizers' ids for each string of the test set on Qwen's real
/// tokenizer (Qwen2.5-VL's added tokens), written by TokenizerReference/generate.js, not by this project's code.
/// </summary>
public sealed record ReferenceIds(string Name, string Text, int[] Ids, string Decoded, string Chat, int[] ChatIds)
{
    private static readonly Lazy<IReadOnlyList<ReferenceIds>> Rows = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TokenizerReference", "expected-ids.json")));
        return doc.RootElement.GetProperty("rows").EnumerateArray().Select(r => new ReferenceIds(
            r.GetProperty("name").GetString()!, r.GetProperty("text").GetString()!,
            r.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(), r.GetProperty("decoded").GetString()!,
            r.GetProperty("chat").GetString()!, r.GetProperty("chatIds").EnumerateArray().Select(e => e.GetInt32()).ToArray())).ToList();
    });

    public static IReadOnlyList<ReferenceIds> All => Rows.Value;
}
