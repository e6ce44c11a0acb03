using System.Runtime.InteropServices;
using MmUpt.Cli.Demo;

namespace MmUpt.Cli.Tests;

/// <summary>What the demo tests need to see processes from outside: live pids, command lines, signals.</summary>
internal static class DemoProcesses
{
    public const int SigTerm = 15;

    /// <summary>The built CLI as the supervisor starts it.</summary>
    public static MmuptCommand MmuptCli { get; } = new("dotnet", [Tests.Mmupt.Dll]);

    /// <summary>Whether <paramref name="pid"/> is a live (not zombie) process.</summary>
    public static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Live processes other than <paramref name="except"/> whose command line mentions <paramref name="text"/>.</summary>
    public static List<(int Pid, string CommandLine)> Mentioning(string text, int except = -1)
    {
        var found = new List<(int, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == except || pid == Environment.ProcessId) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(text, StringComparison.Ordinal) && Alive(pid)) found.Add((pid, cmdline));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return found;
    }

    /// <summary>Live processes whose parent is <paramref name="parent"/>, with their command lines.</summary>
    public static List<(int Pid, string CommandLine)> ChildrenOf(int parent)
    {
        var found = new List<(int, string)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // state, ppid, …
                if (fields[0] != "Z" && int.Parse(fields[1]) == parent)
                    found.Add((pid, File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ')));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return found;
    }

    public static void Signal(int pid, int signal) => Assert.Equal(0, Kill(pid, signal));

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
