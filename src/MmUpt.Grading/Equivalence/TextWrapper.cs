namespace MmUpt.Grading.Equivalence;

/// <summary>Removes one <c>\text{...}</c> that wraps the whole answer (the graders' <c>^\\text\{(.+?)\}$</c>).</summary>
internal static class TextWrapper
{
    public static string Unwrap(string s) =>
        s.Length > 7 && s.StartsWith(@"\text{", StringComparison.Ordinal) && s[^1] == '}' && s.IndexOf('\n') < 0
            ? s[6..^1]
            : s;
}
