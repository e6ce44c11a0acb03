using System.CommandLine;

namespace MmUpt.Cli.Demo;

/// <summary><c>mmupt demo</c>: the whole pipeline on the embedded default, and <c>mmupt demo report</c> to re-render its report.</summary>
public static class DemoCommands
{
    private const string DefaultOut = "runs/demo";

    public static Command Demo()
    {
        var output = Out();
        var quick = new Option<bool>("--quick") { Description = $"The small budget (≤ 2 min on 2 cores) instead of the default (≤ 10 min)." };
        var seed = CommonOptions.Seed();
        seed.DefaultValueFactory = _ => 1;
        var command = new Command("demo",
            "Run the main job end to end on the embedded default: synthesize tasks, init the tiny Qwen2.5-VL, SFT warm start " +
            "on the labelled split, export, then UPT on the unlabelled split in three arms (faithful, robust, control: a " +
            "random answer's reward), each with its own voting service, two rollout workers and `mmupt train` as separate " +
            "processes on loopback; evaluate on the held-out split; write report.md with plots. Stops every process on exit, " +
            "failure, Ctrl-C or SIGTERM.\n\n" +
            "Example:\n  mmupt demo --out runs/demo --quick --seed 2\n  mmupt demo report --out runs/demo")
        {
            output, quick, seed, Report(),
        };
        command.SetAction(async (pr, ct) =>
        {
            var layout = new DemoLayout(pr.GetValue(output)!);
            if (OutputTarget.Problem(layout.Root, DemoLayout.OwnNames) is { } problem) return await CliRunner.UsageAsync($"--out: {problem}");
            var settings = new DemoSettings(pr.GetValue(seed), pr.GetValue(quick) ? DemoSize.Quick : DemoSize.Default, DemoArm.All, DateTimeOffset.UtcNow);
            Clear(layout);
            Directory.CreateDirectory(layout.Root);
            settings.Write(layout.Settings);
            Console.WriteLine($"mmupt demo ({settings.Size.Name}, seed {settings.Seed}) into {layout.Root}; logs in {layout.Logs}");
            using var signals = new DemoSignals(ct);
            try
            {
                await new DemoRun(layout, settings, MmuptCommand.Current()).RunAsync(signals.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or DemoException && signals.Received is { } signal)
            {
                // Ctrl-C reaches the children too, so a stage may fail of it before the cancellation is seen: same outcome.
                return await CliRunner.FailedAsync($"demo interrupted by {signal}; every process it started is stopped (logs: {layout.Logs})");
            }
            catch (DemoException ex)
            {
                return await CliRunner.FailedAsync($"demo: {ex.Message}");
            }
            Console.WriteLine($"report: {layout.Report}");
            return CliRunner.Ok;
        });
        return command;
    }

    private static Command Report()
    {
        var output = Out();
        var command = new Command("report", "Write report.md and plots/ again from the run files of an earlier demo.\n\n" +
                                            "Example:\n  mmupt demo report --out runs/demo") { output };
        command.SetAction(async (pr, ct) =>
        {
            var layout = new DemoLayout(pr.GetValue(output)!);
            if (!File.Exists(layout.Settings)) return await CliRunner.UsageAsync($"--out: {layout.Root} is not a demo output (no demo.json)");
            try
            {
                ReportWriter.Write(layout, DemoSettings.Read(layout.Settings));
            }
            catch (DemoException ex)
            {
                return await CliRunner.FailedAsync(ex.Message);
            }
            Console.WriteLine($"report: {layout.Report}");
            return CliRunner.Ok;
        });
        return command;
    }

    private static Option<string> Out()
    {
        var output = CommonOptions.Out($"Demo folder (default {DefaultOut}); an earlier demo's folder is replaced, any other non-empty folder refused.");
        output.DefaultValueFactory = _ => DefaultOut;
        return output;
    }

    // An earlier demo output (only names the demo writes, checked by OutputTarget) is replaced whole.
    private static void Clear(DemoLayout layout)
    {
        if (!Directory.Exists(layout.Root)) return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(layout.Root))
        {
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
    }
}
