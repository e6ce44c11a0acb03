namespace MmUpt.Grading.Equivalence;

/// <summary>
/// The options of a multiple-choice question, lettered A, B, C... An answer resolves to an option by its letter
/// ("B", "(B)", "B.", "B: 5", "\text{(B)}") or by being equivalent to an option's text; the first match wins.
/// </summary>
public sealed class ChoiceSet
{
    private PreparedAnswer[]? _prepared;

    public ChoiceSet(IReadOnlyList<string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Count is < 2 or > 26)
        {
            throw new ArgumentException($"a choice set needs 2 to 26 options, got {options.Count}", nameof(options));
        }
        Options = options;
    }

    public IReadOnlyList<string> Options { get; }

    /// <summary>Reads lettered options from a prompt (<see cref="ChoiceParser"/>); null when it has none.</summary>
    public static ChoiceSet? Parse(string prompt) => ChoiceParser.Parse(prompt) is { Count: >= 2 and <= 26 } o ? new ChoiceSet(o) : null;

    /// <summary>The 0-based option the answer names, or null when it names none.</summary>
    public int? Resolve(PreparedAnswer answer, IAnswerGrader grader)
    {
        if (answer.Oversize)
        {
            return null;
        }
        if (Letter(Unwrap(answer.Mathd.Replace(" ", "", StringComparison.Ordinal))) is { } letter)
        {
            return letter < Options.Count ? letter : null;
        }
        var prepared = _prepared ??= [.. Options.Select(grader.Prepare)];
        for (var i = 0; i < prepared.Length; i++)
        {
            if (grader.Equivalent(answer, prepared[i]))
            {
                return i;
            }
        }
        return null;
    }

    // "\text{(B)}" → "(B)".
    private static string Unwrap(string s)
    {
        foreach (var wrapper in (ReadOnlySpan<string>)[@"\text{", @"\textbf{", @"\mathrm{"])
        {
            if (s.StartsWith(wrapper, StringComparison.Ordinal) && s.EndsWith('}'))
            {
                return s[wrapper.Length..^1];
            }
        }
        return s;
    }

    // On the cleaned answer, spaces removed: "B", "(B)", "(B)5", "B.", "B:5", "B)".
    private static int? Letter(string s)
    {
        if (s.Length >= 3 && s[0] == '(' && char.IsAsciiLetterUpper(s[1]) && s[2] == ')')
        {
            return s[1] - 'A';
        }
        if (s.Length >= 1 && char.IsAsciiLetterUpper(s[0]) && (s.Length == 1 || s[1] is '.' or ':' or ')'))
        {
            return s[0] - 'A';
        }
        return null;
    }
}
