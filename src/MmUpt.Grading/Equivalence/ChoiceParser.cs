namespace MmUpt.Grading.Equivalence;

/// <summary>
/// Finds lettered options in a question: markers "A." "A:" "A)" "(A)" at a word start and followed by a blank, in
/// order A, B, C...; an option's text runs to the next marker or the end of its line. A marker "A" restarts the list,
/// so the last list in the prompt wins. Linear in the prompt length.
/// </summary>
internal static class ChoiceParser
{
    public static List<string>? Parse(string prompt)
    {
        var options = new List<string>();
        var textStart = -1;
        for (var i = 0; i < prompt.Length; i++)
        {
            if (prompt[i] == '\n' && textStart >= 0)
            {
                options.Add(prompt[textStart..i].Trim());
                textStart = -1;
                continue;
            }
            if (!Marker(prompt, i, out var letter, out var after))
            {
                continue;
            }
            if (letter != 0 && letter != options.Count + (textStart >= 0 ? 1 : 0))
            {
                continue;
            }
            if (textStart >= 0)
            {
                options.Add(prompt[textStart..i].Trim());
            }
            if (letter == 0)
            {
                options.Clear();
            }
            textStart = after;
            i = after - 1;
        }
        if (textStart >= 0)
        {
            options.Add(prompt[textStart..].Trim());
        }
        return options.Count >= 2 ? options : null;
    }

    // "(X) ", "X. ", "X: ", "X) " at a word start; `letter` 0-based, `after` the index after the blank.
    private static bool Marker(string s, int i, out int letter, out int after)
    {
        (letter, after) = (-1, -1);
        if (i > 0 && !char.IsWhiteSpace(s[i - 1]))
        {
            return false;
        }
        var j = i;
        var paren = s[j] == '(';
        if (paren)
        {
            j++;
        }
        if (j + 2 >= s.Length || !char.IsAsciiLetterUpper(s[j]))
        {
            return false;
        }
        var close = s[j + 1];
        var ok = paren ? close == ')' : close is '.' or ':' or ')';
        if (!ok || s[j + 2] is not (' ' or '\t'))
        {
            return false;
        }
        (letter, after) = (s[j] - 'A', j + 3);
        return true;
    }
}
