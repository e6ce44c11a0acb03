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
        foreach (var a in new[] { Repository.File("scripts", "run-local.sh"), "--replicas", "2", "--run", run.Path }) start.ArgumentList.Add(a);
        start.Environment["LOCAL_MMUPT_DLL"] = Repository.MmuptDll;
        // Ports of their own, so a developer's pipeline on the defaults does not collide.
        start.Environment["VOTING_PORT"] = "51052";
        start.Environment["LEARNER_PORT"] = "51053";
        start.Environment["ROLLOUT_PORT"] = "51060";
        using var script = Process.Start(start)!;
        var stderr = script.StandardError.ReadToEndAsync();
        var addresses = new List<string>();
        try
        {
            for (var line = await script.StandardOutput.ReadLineAsync(); ; line = await script.StandardOutput.ReadLineAsync())
            {
                Assert.True(line is not null, $"run-local.sh ended before the pipeline ran: {await stderr}");
                if (Started().Match(line) is { Success: true } m) addresses.Add(m.Groups[1].Value);
                if (line.StartsWith("running;", StringComparison.Ordinal)) break;
            }
            Assert.Equal(4, addresses.Count);   // voting, 2 replicas, learner
            var status = await Mmupt.RunAsync(["status", .. addresses.SelectMany(a => new[] { "--address", a })]);
            Assert.True(status.ExitCode == 0, status.ToString());
            foreach (var role in new[] { "voting", "rollout", "learner" }) Assert.Contains(role, status.Stdout);
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
        Assert.Empty(Directory.GetFiles(Path.Combine(run.Path, "pids")));
        foreach (var log in Directory.GetFiles(Path.Combine(run.Path, "logs"), "*.log"))
        {
            Assert.Contains(" stopped", File.ReadAllText(log));   // each server's own line after a graceful stop
        }
    }

    [GeneratedRegex(@"^\S+: (http://127\.0\.0\.1:\d+) \(log")]
    private static partial Regex Started();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
