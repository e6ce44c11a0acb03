using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MmUpt.Core;
using MmUpt.Data;
using MmUpt.Rollout.Engine;
using MmUpt.Evaluation;
using MmUpt.SelfGeneration;

namespace MmUpt.Cli;

/// <summary><c>mmupt eval</c> and <c>mmupt synth</c>: run an exported model in-process through ORT GenAI.</summary>
public static class EvalCommands
{
    public static Command Eval()
    {
        var command = new Command("eval",
            "Accuracy of an exported model on a labelled dataset: K samples per problem, voted and graded exactly as the " +
            "voting service votes (same --mode and Voting options); pass@1 (mean over K), maj@K and pass@K, written as " +
            "eval.json and eval.md.\n\n" +
            "Example:\n  mmupt eval --model runs/demo/onnx --data runs/demo/data/eval.jsonl --samples 8 --out runs/demo/eval");
        var engine = new EngineFlags(command, defaultTemperature: 0.7f, defaultMaxNewTokens: 96);
        var samples = new Option<int>("--samples") { Description = "Samples per problem, K (default 8).", HelpName = "K", DefaultValueFactory = _ => 8 };
        var output = CommonOptions.Out("Folder for eval.json and eval.md (default runs/eval).");
        output.DefaultValueFactory = _ => "runs/eval";
        var mode = VoteFlags.Mode("Vote mode of maj@K, as the voting service's --mode (default: the --config file's Voting:Mode, else faithful).");
        var config = CommonOptions.Config();
        config.Description = "Pipeline configuration; its Voting section chooses the vote exactly as `mmupt vote --config` does.";
        var groupBy = new Option<string>("--group-by") { Description = "Report a row per value of this JSONL field too (default kind: the synthetic task kind).", HelpName = "FIELD", DefaultValueFactory = _ => "kind" };
        foreach (var o in new Option[] { samples, output, mode, config, groupBy }) command.Options.Add(o);
        command.SetAction(async (pr, ct) =>
        {
            if (pr.GetValue(samples) < 1) return await CliRunner.UsageAsync("--samples must be at least 1");
            if (await VoteFlags.ResolveAsync(pr.GetValue(config), pr.GetValue(mode)) is not { } vote) return CliRunner.Usage;
            if (await engine.OpenAsync(pr, ct) is not { } run) return CliRunner.Usage;
            using var _ = run;
            var progress = new LineProgress("eval", "problems", run.Count);
            IReadOnlyList<EvalRunner.Outcome> outcomes;
            try
            {
                outcomes = await new EvalRunner(run.Sampler, new PromptTemplate(), pr.GetValue(groupBy))
                    .RunAsync(run.Records, pr.GetValue(samples), run.Settings, progress, ct);
            }
            catch (DatasetFormatException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return CliRunner.Failed;
            }
            run.ReportSkipped();
            var report = EvalRunner.Score(outcomes, vote);
            var folder = Directory.CreateDirectory(pr.GetValue(output)!).FullName;
            await File.WriteAllTextAsync(Path.Combine(folder, "eval.json"), report.ToJson(), ct);
            await File.WriteAllTextAsync(Path.Combine(folder, "eval.md"), report.ToMarkdown(), ct);
            Console.WriteLine(report.ToMarkdown());
            Console.WriteLine($"wrote {Path.Combine(folder, "eval.json")} and eval.md");
            return CliRunner.Ok;
        });
        return command;
    }

    public static Command Synth()
    {
        var command = new Command("synth",
            "Self-generated questions (MM-UPT §3.3): the model writes new questions about the dataset's images, in-context " +
            "(shown a question and its answer, write a different one) or direct (shown only the image). Empty, duplicate, " +
            "over-long, markup and answer-revealing questions are dropped; the rest are written as an unlabelled JSONL " +
            "dataset that train reads.\n\n" +
            "Example:\n  mmupt synth --strategy direct --model runs/demo/onnx --data runs/demo/data/upt.jsonl --out runs/demo/synth.jsonl");
        var engine = new EngineFlags(command, defaultTemperature: 1.0f, defaultMaxNewTokens: 64);
        var strategy = new Option<string>("--strategy") { Description = "in-context or direct.", HelpName = "STRATEGY", Required = true };
        strategy.AcceptOnlyFromAmong("in-context", "direct");
        var samples = new Option<int>("--samples") { Description = "Questions sampled per seed record (default 4).", HelpName = "N", DefaultValueFactory = _ => 4 };
        var output = new Option<string>("--out") { Description = "The JSONL file to write (images go to a folder next to it).", HelpName = "FILE", Required = true };
        foreach (var o in new Option[] { strategy, samples, output }) command.Options.Add(o);
        command.SetAction(async (pr, ct) =>
        {
            if (pr.GetValue(samples) < 1) return await CliRunner.UsageAsync("--samples must be at least 1");
            if (await engine.OpenAsync(pr, ct) is not { } run) return CliRunner.Usage;
            using var _ = run;
            var kind = pr.GetValue(strategy) == "direct" ? SynthStrategy.Direct : SynthStrategy.InContext;
            var path = Path.GetFullPath(pr.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var filter = new QuestionFilter();
            // Written next to the target and renamed at the end, so a failed run never replaces an earlier output.
            var partial = path + ".partial";
            int written;
            await using (var writer = new JsonlDatasetWriter(partial, JsonlImageMode.Files, Path.Combine("images", Path.GetFileNameWithoutExtension(path))))
            {
                var progress = new LineProgress("synth", "seeds", run.Count);
                try
                {
                    await new SynthRunner(run.Sampler, new PromptTemplate(), kind, filter)
                        .RunAsync(run.Records, pr.GetValue(samples), run.Settings, (r, c) => writer.WriteAsync(r, null, c), progress, ct);
                }
                catch (Exception ex) when (ex is ArgumentException or DatasetFormatException)
                {
                    await writer.DisposeAsync();
                    File.Delete(partial);
                    if (ex is DatasetFormatException)
                    {
                        await Console.Error.WriteLineAsync($"error: {ex.Message}");
                        return CliRunner.Failed;
                    }
                    return await CliRunner.UsageAsync(ex.Message);
                }
                written = writer.Count;
                run.ReportSkipped();
            }
            File.Move(partial, path, overwrite: true);
            Console.WriteLine($"wrote {written} question(s) to {path}");
            Console.WriteLine("filter: " + string.Join(", ", filter.Counts.Select(kv => $"{kv.Key} {kv.Value}")));
            return CliRunner.Ok;
        });
        return command;
    }

    /// <summary>One progress line per tenth of the work (and the last), with the elapsed time.</summary>
    private sealed class LineProgress(string task, string unit, long total) : IProgress<int>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _shown;

        public void Report(int value)
        {
            if (value == total || value - _shown >= Math.Max(1, total / 10))
            {
                _shown = value;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{task}] {value}/{total} {unit} ({_clock.Elapsed.TotalSeconds:0.0} s)"));
            }
        }
    }
}
