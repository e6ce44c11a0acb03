using Spectre.Console;

namespace MmUpt.Cli.Train;

/// <summary>
/// A status line pinned to the terminal's bottom row, as apt draws its progress: the rows above become the scroll region,
/// so log lines written meanwhile by anyone (the step log, replica events) scroll above it and are never overwritten.
/// The line is Spectre markup rendered to ANSI; each draw is one write (save cursor, go to the last row, clear, text,
/// restore cursor), so it cannot interleave with another writer's line on the synchronized console writer.
/// </summary>
public sealed class PinnedStatusLine(TextWriter terminal, Func<(int Rows, int Columns)> size)
{
    private const string Esc = "\u001b";
    private int _rows;

    public void Draw(string markup)
    {
        var (rows, columns) = size();
        if (rows < 3 || columns < 10) return;
        if (rows != _rows) Reserve(rows);
        terminal.Write($"{Esc}7{Esc}[{rows};1H{Esc}[2K{Render(markup, columns)}{Esc}8");
        terminal.Flush();
    }

    /// <summary>Gives the whole screen back to scrolling and clears the status row.</summary>
    public void Release()
    {
        if (_rows == 0) return;
        terminal.Write($"{Esc}7{Esc}[1;{_rows}r{Esc}[{_rows};1H{Esc}[2K{Esc}8");
        terminal.Flush();
        _rows = 0;
    }

    // A new line first, so the cursor is not on the reserved row; setting the region homes the cursor, hence save/restore.
    private void Reserve(int rows)
    {
        terminal.Write($"\n{Esc}7{Esc}[1;{rows - 1}r{Esc}8{Esc}[1A");
        _rows = rows;
    }

    private static string Render(string markup, int columns)
    {
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = columns - 1;
        console.Write(new Markup(markup).Overflow(Overflow.Ellipsis));
        // One row: what wraps past the width is cut.
        return text.ToString().Split('\n')[0].TrimEnd('\r');
    }
}
