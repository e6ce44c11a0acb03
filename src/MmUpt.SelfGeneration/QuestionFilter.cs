using System.Text;
using System.Text.RegularExpressions;
using MmUpt.Data;

namespace MmUpt.SelfGeneration;

/// <summary>
/// Accepts or rejects generated questions. <see cref="Classify"/> is the pure rule; an instance also remembers accepted
/// questions (normalised) so later duplicates are caught across the whole run. Rules, in order: markup, garbled, empty, too long,
/// reveals answer, duplicate.
/// </summary>
public sealed partial class QuestionFilter(QuestionFilterOptions? options = null)
{
    private readonly QuestionFilterOptions _options = options ?? new QuestionFilterOptions();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<FilterReason, int> _counts = Enum.GetValues<FilterReason>().ToDictionary(r => r, _ => 0);

    /// <summary>How many questions got each verdict so far.</summary>
    public IReadOnlyDictionary<FilterReason, int> Counts => _counts;

    /// <summary>Classifies and, when accepted, remembers the question.</summary>
    public FilterReason Check(string question, DataRecord seed, SynthStrategy strategy)
    {
        var reason = Classify(question, seed.Problem, strategy == SynthStrategy.InContext ? seed.Answer : null, _seen, _options);
        if (reason == FilterReason.Accepted) _seen.Add(Normalize(question));
        _counts[reason]++;
        return reason;
    }

    /// <param name="question">The extracted question.</param>
    /// <param name="seedProblem">The seed row's problem (a copy of it is a duplicate).</param>
    /// <param name="seedAnswer">The seed answer when the model saw it (in-context), else null.</param>
    /// <param name="accepted">Normalised questions accepted before (<see cref="Normalize"/>).</param>
    /// <param name="options">Length bounds.</param>
    public static FilterReason Classify(string question, string seedProblem, string? seedAnswer,
        IReadOnlySet<string> accepted, QuestionFilterOptions options)
    {
        var q = question.Trim();
        if (q.Contains("<|", StringComparison.Ordinal) || q.Contains(DataRecord.ImagePlaceholder, StringComparison.OrdinalIgnoreCase))
            return FilterReason.Markup;
        if (q.Any(c => c == '\uFFFD' || (char.IsControl(c) && c is not ('\n' or '\t'))))
            return FilterReason.Garbled;
        if (q.Length < options.MinChars || !q.Any(char.IsLetter))
            return FilterReason.Empty;
        if (q.Length > options.MaxChars)
            return FilterReason.TooLong;
        if (RevealsAnswer(q, seedProblem, seedAnswer))
            return FilterReason.RevealsAnswer;
        var normal = Normalize(q);
        if (normal == Normalize(seedProblem.Replace(DataRecord.ImagePlaceholder, " ", StringComparison.Ordinal)) || accepted.Contains(normal))
            return FilterReason.Duplicate;
        return FilterReason.Accepted;
    }

    /// <summary>Lower case, letters and digits only, single spaces: "What is x?" and "what is  x" are one question.</summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
        }
        return sb.ToString().TrimEnd();
    }

    private static bool RevealsAnswer(string question, string seedProblem, string? seedAnswer)
    {
        if (question.Contains(@"\boxed", StringComparison.Ordinal) || AnswerIs().IsMatch(question))
            return true;
        var answer = seedAnswer?.Trim();
        if (string.IsNullOrEmpty(answer) || ContainsWord(seedProblem, answer))
            return false;
        return ContainsWord(question, answer);
    }

    private static bool ContainsWord(string text, string word) =>
        Regex.IsMatch(text, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(word)}(?![\p{{L}}\p{{N}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    [GeneratedRegex(@"\b(the )?(final |correct )?answer (is|=|:)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnswerIs();
}
