using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MmUpt.Testing;

namespace MmUpt.Deploy.Tests;

/// <summary>
/// <c>scripts/run-local.sh scale N</c> while a run goes: the learner's reported replicas follow the membership file up
/// and down, steps keep being trained meanwhile, and every step trains exactly B whole groups. The pipeline runs secured
/// (<c>--credentials</c> from scripts/make-credentials.sh: mutual TLS and the token on every call between the processes),
/// and the learner is asked with <c>mmupt status</c> and the same credentials.
/// </summary>
public sealed partial class ScalingTests
{
    private const int B = 4;
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Scaling_the_replicas_up_and_down_mid_run_changes_what_the_learner_reports_and_loses_no_group()
    {
        using var run = new TempDir();
        var credentials = Path.Combine(run.Path, "credentials");
        using (var made = Launch(run.Path, [], "scripts/make-credentials.sh", credentials))
        {
            await made.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(0, made.ExitCode);
        }
        using var script = Launch(run.Path, ["--replicas", "1", "--steps", "1000", "--run", run.Path, "--credentials", credentials,
            "--", "--prompts-per-step", $"{B}", "--group-size", "4", "--set", "Train:MaxNewTokens=24", "--set", "Train:Eval:Data="]);
        var stderr = script.StandardError.ReadToEndAsync();
        string? learner = null;
        try
        {
            for (var line = await script.StandardOutput.ReadLineAsync(); ; line = await script.StandardOutput.ReadLineAsync())
            {
                if (line is null) Assert.Fail($"run-local.sh ended before the pipeline ran: {await stderr}");
                if (LearnerLine().Match(line) is { Success: true } m) learner = m.Groups[1].Value;
                if (line.StartsWith("running;", StringComparison.Ordinal)) break;
            }
            Assert.NotNull(learner);
            Assert.StartsWith("https://", learner);
            var client = new Learner(learner, credentials, run.Path);

            var one = await client.WaitAsync(s => s.Replicas.Count == 1 && s.Step >= 1, "1 replica and a first step");
            await ScaleAsync(run.Path, 2);
            var two = await client.WaitAsync(s => s.Replicas.Count == 2 && s.AllReady, "2 ready replicas");
            // A step trained entirely while both replicas were members.
            await client.WaitAsync(s => s.Step >= two.Step + 2 && s.Replicas.Count == 2, "two more steps on 2 replicas");
            await ScaleAsync(run.Path, 1);
            var back = await client.WaitAsync(s => s.Replicas.Count == 1, "1 replica again");
            Assert.Equal(one.Replicas[0], back.Replicas[0]);   // the newest one left
            await client.WaitAsync(s => s.Step >= back.Step + 1, "a step after scaling down");
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
                script.Kill(entireProcessTree: true);
            }
        }
        Assert.Equal(130, script.ExitCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(run.Path, "pids")));

        var steps = File.ReadAllLines(Path.Combine(run.Path, "train", "steps.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.True(steps.Count >= 4, $"{steps.Count} steps");
        Assert.Equal(Enumerable.Range(1, steps.Count).Select(i => (long)i), steps.Select(s => (long)s["Step"]!));
        Assert.All(steps, s => Assert.Equal(B, (int)s["Votes"]!["Groups"]!));   // B whole groups every step
        var log = File.ReadAllText(Path.Combine(run.Path, "logs", "learner.log"));
        Assert.Contains("joined", log);
        Assert.Contains("left", log);
    }

    private static Process Launch(string run, string[] args, string script = "scripts/run-local.sh", params string[] more)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Repository.File(script.Split('/')));
        foreach (var a in more) start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["LOCAL_MMUPT_DLL"] = Repository.MmuptDll;
        start.Environment["VOTING_PORT"] = "0";
        start.Environment["LEARNER_PORT"] = "0";
        start.Environment["ROLLOUT_PORT"] = "0";
        return Process.Start(start)!;
    }

    private static async Task ScaleAsync(string run, int replicas)
    {
        using var scale = Launch(run, ["scale", $"{replicas}", "--run", run]);
        var stdout = scale.StandardOutput.ReadToEndAsync();
        var stderr = scale.StandardError.ReadToEndAsync();
        await scale.WaitForExitAsync().WaitAsync(Long);
        Assert.True(scale.ExitCode == 0, $"scale {replicas}: exit {scale.ExitCode}\n{await stderr}\n{await stdout}");
        Assert.Contains($"scaled to {replicas} replica(s)", await stdout);
    }

    /// <summary>What the learner's GetStatus says, through <c>mmupt status --json</c> with the run's credentials.</summary>
    private sealed record LearnerView(long Step, IReadOnlyList<string> Replicas, bool AllReady);

    private sealed class Learner(string address, string credentials, string run)
    {
        public async Task<LearnerView> AskAsync()
        {
            // --timeout 30: on the loaded CI machine a process once took over 5 s (status's default) to answer; this test
            // checks what the learner reports, not how fast.
            var result = await Mmupt.RunAsync(["status", "--address", address, "--json", "--timeout", "30", "--tls-ca", Path.Combine(credentials, "ca.crt"),
                "--tls-cert", Path.Combine(credentials, "tls.crt"), "--tls-key", Path.Combine(credentials, "tls.key"),
                "--token-file", Path.Combine(credentials, "token")]);
            Assert.True(result.ExitCode == 0, result.ToString());
            var status = JsonNode.Parse(result.Stdout)!;
            var replicas = status["replicas"]!.AsArray();
            return new LearnerView(long.Parse((string)status["step"]!), [.. replicas.Select(r => (string)r!["address"]!)],
                replicas.All(r => (string)r!["state"]! == "REPLICA_STATE_READY"));
        }

        /// <summary>Polls until <paramref name="done"/> holds; fails with the last status and the learner's log tail.</summary>
        public async Task<LearnerView> WaitAsync(Func<LearnerView, bool> done, string what)
        {
            var deadline = DateTime.UtcNow + Long;
            while (true)
            {
                var status = await AskAsync();
                if (done(status)) return status;
                if (DateTime.UtcNow > deadline)
                {
                    var log = File.ReadAllText(Path.Combine(run, "logs", "learner.log"));
                    Assert.Fail($"never {what} within {Long.TotalMinutes} min; last status {status}\nlearner log: {log[^Math.Min(2000, log.Length)..]}");
                }
                await Task.Delay(200);
            }
        }
    }

    [GeneratedRegex(@"^learner: (https?://127\.0\.0\.1:\d+) \(log")]
    private static partial Regex LearnerLine();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
