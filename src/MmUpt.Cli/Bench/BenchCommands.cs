using System.CommandLine;
using MmUpt.Cli.Demo;

namespace MmUpt.Cli.Bench;

/// <summary><c>mmupt bench</c>: benchmarks that need the whole pipeline as processes (the per-component ones are under bench/).</summary>
public static class BenchCommands
{
    public static Command Bench()
    {
        var loop = new Command("loop",
            "Step time of the sync and async modes on the same run (tiny model, a voting service and two rollout workers on " +
            "loopback), split into rollout / vote / learn / sync; prints a table and writes it to OUT/loop-bench.md.\n\n" +
            "Example:\n  mmupt bench loop --out runs/bench-loop --steps 12 --pairs 3 --placement split --max-new-tokens 64");
        var output = CommonOptions.Out("Folder for the runs, logs and loop-bench.md (default runs/bench-loop; replaced).");
        output.DefaultValueFactory = _ => "runs/bench-loop";
        var steps = new Option<int>("--steps") { Description = "UPT steps per mode (default 8; the first is left out of the means).", HelpName = "N", DefaultValueFactory = _ => 8 };
        var prompts = new Option<int>("--prompts-per-step") { Description = "B (default 16).", HelpName = "B", DefaultValueFactory = _ => 16 };
        var group = new Option<int>("--group-size") { Description = "G (default 8).", HelpName = "G", DefaultValueFactory = _ => 8 };
        var pairs = new Option<int>("--pairs")
        {
            Description = "Sync and async runs alternate this many times; ratios are taken within each pair and the median reported (default 1).",
            HelpName = "N", DefaultValueFactory = _ => 1,
        };
        var staleness = new Option<int>("--max-staleness")
        {
            Description = "Async mode's Train:MaxStaleness (default 1: step k + 1 samples from the version published after step k − 1, " +
                          "so its requests wait for that version's load; 2 lets them start on the version already loaded).",
            HelpName = "N", DefaultValueFactory = _ => 1,
        };
        var tokens = new Option<int>("--max-new-tokens")
        {
            Description = "Response length (default 16; the untrained model writes all of them): longer responses make rollout a larger share of a step, as in real runs.",
            HelpName = "N", DefaultValueFactory = _ => 16,
        };
        var micro = new Option<int>("--micro-batch-size")
        {
            Description = "The learner's Learner:Trainer:MicroBatchSize, in responses (default 8: one group per forward and backward).",
            HelpName = "N", DefaultValueFactory = _ => 8,
        };
        var seed = CommonOptions.Seed();
        seed.DefaultValueFactory = _ => 1;
        var placement = new Option<string>("--placement")
        {
            Description = "shared (default: every process on every core) or split (the learner on CPU 0, the replicas and the voting " +
                          "service on CPU 1, as separate GPUs would separate them; needs taskset).",
            HelpName = "shared|split",
            DefaultValueFactory = _ => "shared",
        };
        placement.AcceptOnlyFromAmong("shared", "split");
        foreach (var o in new Option[] { output, steps, prompts, group, tokens, pairs, staleness, micro, seed, placement }) loop.Options.Add(o);
        loop.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(steps) < 2) return await CliRunner.UsageAsync("--steps must be at least 2 (the first step is warm-up)");
            if (parsed.GetValue(prompts) < 1) return await CliRunner.UsageAsync("--prompts-per-step must be at least 1");
            if (parsed.GetValue(group) is < 2 or > 32) return await CliRunner.UsageAsync("--group-size must be in [2, 32]");
            if (parsed.GetValue(tokens) is < 1 or > 1024) return await CliRunner.UsageAsync("--max-new-tokens must be in [1, 1024]");
            if (parsed.GetValue(pairs) is < 1 or > 20) return await CliRunner.UsageAsync("--pairs must be in [1, 20]");
            if (parsed.GetValue(staleness) is < 1 or > 16) return await CliRunner.UsageAsync("--max-staleness must be in [1, 16]");
            if (parsed.GetValue(micro) is < 1 or > 1024) return await CliRunner.UsageAsync("--micro-batch-size must be in [1, 1024]");
            var split = parsed.GetValue(placement) == "split";
            if (split && (MmuptCommand.FindTaskset() is null || Environment.ProcessorCount < 2))
                return await CliRunner.UsageAsync("--placement split needs taskset (util-linux) and at least 2 CPUs");
            var folder = Path.GetFullPath(parsed.GetValue(output)!);
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !File.Exists(Path.Combine(folder, "loop-bench.md")))
                return await CliRunner.UsageAsync($"--out: {folder} is not empty and not an earlier loop bench");
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.CreateDirectory(folder);
            // .NET runs no process-exit hook on SIGTERM: without this, SIGTERM would leave the servers running.
            using var signals = new DemoSignals(ct);
            try
            {
                var rows = await new LoopBench(folder, parsed.GetValue(steps), parsed.GetValue(prompts), parsed.GetValue(group),
                    parsed.GetValue(seed), MmuptCommand.Current(), split) { MaxNewTokens = parsed.GetValue(tokens), Pairs = parsed.GetValue(pairs), MaxStaleness = parsed.GetValue(staleness), MicroBatchSize = parsed.GetValue(micro) }.RunAsync(signals.Token);
                var table = LoopBench.Table(rows, split);
                await File.WriteAllTextAsync(Path.Combine(folder, "loop-bench.md"), table, ct);
                Console.WriteLine(table);
                return CliRunner.Ok;
            }
            catch (Exception ex) when (ex is OperationCanceledException or DemoException && signals.Received is { } signal)
            {
                return await CliRunner.FailedAsync($"bench interrupted by {signal}; every process it started is stopped (logs: {Path.Combine(folder, "logs")})");
            }
            catch (DemoException ex)
            {
                return await CliRunner.FailedAsync(ex.Message);
            }
        });
        return new Command("bench", "Benchmarks of the whole pipeline as processes.\n\nExample:\n  mmupt bench loop --steps 8") { loop };
    }
}
