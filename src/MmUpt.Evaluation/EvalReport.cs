using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MmUpt.Evaluation;

/// <summary>The result of <see cref="EvalScorer.Score"/>, as JSON (everything) or a markdown table (the metrics).</summary>
/// <param name="Mode">The vote mode maj@K was voted with (<c>faithful</c> or <c>robust</c>).</param>
public sealed record EvalReport(int SamplesPerProblem, string Mode, EvalMetrics Overall, IReadOnlyList<EvalMetrics> Groups,
    IReadOnlyList<ProblemScore> Problems, int Unlabelled)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>One row for all problems, then one per group; values as fractions with four decimals.</summary>
    public string ToMarkdown()
    {
        var k = SamplesPerProblem;
        var md = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"| set | problems | pass@1 | maj@{k} | pass@{k} | no answer |")
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var m in Groups.Prepend(Overall))
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Name} | {m.Problems} | {m.Pass1:0.0000} | {m.MajK:0.0000} | {m.PassK:0.0000} | {m.AbstainRate:0.0000} |");
        }
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"maj@{k} voted in the {Mode} mode, as the voting service votes.");
        if (Unlabelled > 0)
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{Unlabelled} problem(s) without a reference were not scored.");
        }
        return md.ToString();
    }
}
