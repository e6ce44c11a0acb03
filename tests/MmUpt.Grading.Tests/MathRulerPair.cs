using System.Text.Json;
using System.Text.Json.Serialization;

namespace MmUpt.Grading.Tests;

/// <summary>
/// One row of Fixtures/mathruler_pairs.jsonl: a generated answer pair and MathRuler's own <c>grade_answer</c> verdict
/// (scripts/grader-oracle writes and labels the file; no MathRuler code is in this repository).
/// </summary>
public sealed record MathRulerPair(
    [property: JsonPropertyName("family")] string Family,
    [property: JsonPropertyName("candidate")] string Candidate,
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("mathruler")] bool MathRuler)
{
    public static IReadOnlyList<MathRulerPair> Load() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mathruler_pairs.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<MathRulerPair>(line)!)];

    public override string ToString() => $"{Family}: '{Candidate}' vs '{Reference}' (MathRuler {MathRuler})";
}
