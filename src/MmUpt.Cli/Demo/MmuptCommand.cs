using System.Reflection;

namespace MmUpt.Cli.Demo;

/// <summary>
/// How to start another <c>mmupt</c>: the executable that is running, plus the entry assembly when that executable is
/// the <c>dotnet</c> host (<c>dotnet mmupt.dll ...</c>); an apphost (<c>./mmupt ...</c>) needs no prefix.
/// </summary>
public sealed record MmuptCommand(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>The same build as this process.</summary>
    public static MmuptCommand Current()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        var entry = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(path) == "dotnet" && !string.IsNullOrEmpty(entry) ? new(path, [entry]) : new(path, []);
    }

    /// <summary>
    /// The same command run by <c>taskset -c CPU</c> (util-linux), so the process and every thread it starts stay on that
    /// CPU; taskset execs the command, so signals reach mmupt itself.
    /// </summary>
    public MmuptCommand PinnedTo(int cpu) =>
        new(Taskset, ["-c", cpu.ToString(System.Globalization.CultureInfo.InvariantCulture), FileName, .. Prefix]);

    /// <summary>Where <c>taskset</c> is, or null.</summary>
    public static string? FindTaskset() =>
        new[] { "/usr/bin/taskset", "/bin/taskset" }.FirstOrDefault(File.Exists);

    private static string Taskset => FindTaskset() ?? throw new InvalidOperationException("taskset (util-linux) is not installed");

    /// <summary>The command line as a user would type it (for logs and messages).</summary>
    public string Display(IEnumerable<string> args) =>
        string.Join(' ', Prefix.Concat(args).Prepend(FileName).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
}
