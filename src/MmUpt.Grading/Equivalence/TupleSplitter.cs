using MmUpt.Grading.Faithful;

namespace MmUpt.Grading.Equivalence;

/// <summary>
/// PRM800K's <c>split_tuple</c>: well-formed thousands commas dropped, then "(a,b)", "[a,b)", "(a,b]"... with no inner
/// brackets split at commas; anything else is one element; the empty string none.
/// </summary>
internal static class TupleSplitter
{
    private const string Brackets = "()[]";

    public static string[] Split(string key)
    {
        var s = PyNumbers.StripProperCommas(key);
        if (s.Length == 0)
        {
            return [];
        }
        if (s.Length > 2 && Brackets.Contains(s[0]) && Brackets.Contains(s[^1]) && s.AsSpan(1, s.Length - 2).IndexOfAny(Brackets) < 0)
        {
            return s[1..^1].Split(',', StringSplitOptions.TrimEntries);
        }
        return [s];
    }
}
