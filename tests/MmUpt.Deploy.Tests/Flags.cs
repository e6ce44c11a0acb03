namespace MmUpt.Deploy.Tests;

/// <summary>Reads <c>--flag VALUE</c> pairs from a command line.</summary>
public static class Flags
{
    public static string? Value(IList<string> args, string flag)
    {
        var i = args.IndexOf(flag);
        return i >= 0 && i + 1 < args.Count ? args[i + 1] : null;
    }

    public static string Required(IList<string> args, string flag) =>
        Value(args, flag) ?? throw new InvalidOperationException($"'{string.Join(' ', args)}' has no {flag}");
}
