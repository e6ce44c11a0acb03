using System.Text.Json;

namespace MmUpt.Testing;

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

    /// <summary>The rows whose strings differ from Hugging Face's, as one line each (empty when all agree).</summary>
    public static IReadOnlyList<string> Disagreements<T>(Func<ReferenceIds, T> expected, Func<ReferenceIds, T> actual) =>
        All.Select(r => (r.Name, Expected: expected(r), Actual: actual(r)))
            .Where(x => !(x.Expected is int[] e && x.Actual is int[] a ? e.SequenceEqual(a) : Equals(x.Expected, x.Actual)))
            .Select(x => $"{x.Name}: expected {Show(x.Expected)}, got {Show(x.Actual)}").ToList();

    private static string Show(object? value) => value is int[] ids ? "[" + string.Join(",", ids) + "]" : $"\"{value}\"";
}
