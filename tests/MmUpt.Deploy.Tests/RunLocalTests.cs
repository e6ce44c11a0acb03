using System.Diagnostics;
using System.Text.RegularExpressions;
using MmUpt.Testing;

namespace MmUpt.Deploy.Tests;

/// <summary>scripts/run-local.sh starts a real multi-process pipeline that <c>mmupt status</c> sees healthy, and stops it.</summary>
public sealed partial class RunLocalTests
{
    [Fact]
    public async Task The_launcher_starts_every_process_healthy_and_SIGTERM_stops_them_all()
    {
        using var run = new TempDir();
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Repository.File("scripts", "run-local.sh"), "--replicas", "2", "--steps", "1000", "--run", run.Path }) start.ArgumentList.Add(a);
        start.Environment["LOCAL_MMUPT_DLL"] = Repository.MmuptDll;
        // Free ports picked by each process (printed, read back by the script): nothing else on the machine collides.
        start.Environment["VOTING_PORT"] = "0";
        start.Environment["LEARNER_PORT"] = "0";
        start.Environment["ROLLOUT_PORT"] = "0";
        using var script = Process.Start(start)!;
        var stderr = script.StandardError.ReadToEndAsync();
        var addresses = new List<string>();
        int[] pids = [];
        try
        {
            for (var line = await script.StandardOutput.ReadLineAsync(); ; line = await script.StandardOutput.ReadLineAsync())
            {
                // (Not Assert.True with the message: its argument, awaiting stderr's end, would be evaluated every line.)
                if (line is null) Assert.Fail($"run-local.sh ended before the pipeline ran: {await stderr}");
                if (Started().Match(line) is { Success: true } m) addresses.Add(m.Groups[1].Value);
                if (line.StartsWith("running;", StringComparison.Ordinal)) break;
            }
            Assert.Equal(4, addresses.Count);   // voting, 2 replicas, learner
            var running = DateTime.UtcNow;
            // Every process must answer; how fast is not this test's business (a loaded CI machine once took over 5 s).
            var status = await Mmupt.RunAsync(["status", "--timeout", "30", .. addresses.SelectMany(a => new[] { "--address", a })]);
            Assert.True(status.ExitCode == 0, $"{status}\nread 'running;' at {running:HH:mm:ss}, status ended {DateTime.UtcNow:HH:mm:ss}, script exited: {script.HasExited}\n" +
                string.Join("\n", Directory.GetFiles(Path.Combine(run.Path, "logs")).Select(f => $"{Path.GetFileName(f)}: {File.ReadAllText(f)[^Math.Min(400, File.ReadAllText(f).Length)..]}")));
            foreach (var role in new[] { "voting", "rollout", "learner" }) Assert.Contains(role, status.Stdout);
            pids = [.. Directory.GetFiles(Path.Combine(run.Path, "pids")).Select(f => int.Parse(File.ReadAllText(f)))];
            Assert.Equal(4, pids.Length);
        }
        finally
        {
            if (!script.HasExited) Assert.Equal(0, Kill(script.Id, 15));
            try
            {
                await script.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            }
            catch (TimeoutException)
            {
                script.Kill(entireProcessTree: true);   // leave nothing running; the test fails below on the PID files
            }
        }
        Assert.Equal(130, script.ExitCode);   // stopped by the signal, not by a process failing
        Assert.Empty(Directory.GetFiles(Path.Combine(run.Path, "pids")));
        Assert.All(pids, pid => Assert.True(Kill(pid, 0) != 0, $"process {pid} still runs"));   // signal 0: does it exist?
        foreach (var name in new[] { "voting", "rollout-0", "rollout-1" })
        {
            // The servers' own line after a graceful stop (not a kill).
            Assert.Contains(" stopped", File.ReadAllText(Path.Combine(run.Path, "logs", $"{name}.log")));
        }
    }

    [GeneratedRegex(@"^\S+: (http://127\.0\.0\.1:\d+) \(log")]
    private static partial Regex Started();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
