using System.Text;

namespace MmUpt.Grading.Robust;

/// <summary>
/// Scans at bracket depth 0: ( [ { open and ) ] } close whatever their kind, so an interval "[0,1)" nests as one
/// group. Every scan is one linear pass.
/// </summary>
internal static class TopLevel
{
    /// <summary>Splits at depth-0 separator characters and, with <paramref name="words"/>, at the words "and" / "or".</summary>
    public static List<string> Split(string s, string separators, bool words)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            depth += c is '(' or '[' or '{' ? 1 : c is ')' or ']' or '}' ? -1 : 0;
            if (depth == 0 && separators.Contains(c))
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }
            if (depth == 0 && words && Word(s, i) is var length and > 0)
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
                i += length - 1;
                continue;
            }
            current.Append(c);
        }
        parts.Add(current.ToString().Trim());
        parts.RemoveAll(p => p.Length == 0);
        return parts.Count == 0 ? [s.Trim()] : parts;
    }

    /// <summary>The depth-0 pieces between the relation characters = ≠ &lt; &gt; ≤ ≥ ∈, and those characters.</summary>
    public static (List<string> Parts, List<char> Ops) SplitRelations(string s)
    {
        var (parts, ops) = (new List<string>(), new List<char>());
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            depth += c is '(' or '[' or '{' ? 1 : c is ')' or ']' or '}' ? -1 : 0;
            if (depth == 0 && c is '=' or '≠' or '<' or '>' or '≤' or '≥' or '∈')
            {
                parts.Add(s[start..i].Trim());
                ops.Add(c);
                start = i + 1;
            }
        }
        parts.Add(s[start..].Trim());
        return (parts, ops);
    }

    /// <summary>Whether the bracket at 0 closes at the last character.</summary>
    public static bool Closes(string s)
    {
        var depth = 0;
        for (var i = 0; i < s.Length; i++)
        {
            depth += s[i] is '(' or '[' or '{' ? 1 : s[i] is ')' or ']' or '}' ? -1 : 0;
            if (depth == 0)
            {
                return i == s.Length - 1;
            }
        }
        return false;
    }

    /// <summary>Whether <paramref name="s"/> is one <paramref name="open"/>..<paramref name="close"/> group.</summary>
    public static bool Wrapped(string s, char open, char close) => s.Length >= 2 && s[0] == open && s[^1] == close && Closes(s);

    // " and " / " or " as whole words (spaces or string edges around), else 0.
    private static int Word(string s, int i)
    {
        foreach (var w in (ReadOnlySpan<string>)["and", "or"])
        {
            if (string.CompareOrdinal(s, i, w, 0, w.Length) == 0
                && (i == 0 || s[i - 1] == ' ') && (i + w.Length == s.Length || s[i + w.Length] == ' '))
            {
                return w.Length;
            }
        }
        return 0;
    }
}
