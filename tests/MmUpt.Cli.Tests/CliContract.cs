namespace MmUpt.Cli.Tests;

/// <summary>What every command owes a user on bad input: exit 0, 1 or 2; on failure at least one <c>error:</c> line;
/// never a stack trace, an unhandled exception or the CLI's own unexpected-failure line.</summary>
internal static class CliContract
{
    public static void Holds(string what, int code, string stdout, string stderr)
    {
        var context = $"{what}: exit {code}\nstderr: {Head(stderr)}\nstdout: {Head(stdout)}";
        Assert.True(code is 0 or 1 or 2, context);
        foreach (var text in new[] { stdout, stderr })
        {
            Assert.False(text.Contains("   at ", StringComparison.Ordinal), "stack trace. " + context);
            Assert.False(text.Contains("Unhandled exception", StringComparison.Ordinal), context);
            Assert.False(text.Contains("unexpected failure", StringComparison.Ordinal), context);
        }
        if (code != 0)
        {
            Assert.True(stderr.Contains("error: ", StringComparison.Ordinal), "no error line. " + context);
        }
    }

    /// <summary>A failed run left nothing at <paramref name="output"/> and no staging folder beside it.</summary>
    public static void NothingWritten(string what, string output)
    {
        Assert.False(File.Exists(output) || Directory.Exists(output), $"{what}: {output} was written");
        var parent = Path.GetDirectoryName(Path.GetFullPath(output))!;
        if (Directory.Exists(parent))
        {
            Assert.Empty(Directory.GetDirectories(parent, ".mmupt-partial-*"));
        }
    }

    private static string Head(string text) => text.Length <= 600 ? text : text[..600] + "...";
}
