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
            var folder = Path.GetFullPath(pr.GetValue(output)!);
            if (OutputTarget.Problem(Path.Combine(folder, "eval.json"), null, engine.Inputs(pr)) is { } problem)
            {
                return await CliRunner.UsageAsync($"--out: {problem}");
            }
            var (opened, code) = await engine.OpenAsync(pr, ct);
            if (opened is not { } run) return code;
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
                return await CliRunner.FailedAsync(ex.Message);
            }
            catch (Exception ex) when (ex is ArgumentException or Microsoft.ML.OnnxRuntimeGenAI.OnnxRuntimeGenAIException)
            {
                // A row the reader accepted but the engine refuses (e.g. longer than the context): the run stops, nothing is written.
                return await CliRunner.FailedAsync(ex.Message);
            }
            run.ReportSkipped();
            var report = EvalRunner.Score(outcomes, vote);
            using (var staged = new StagedOutput(folder))
            {
                await File.WriteAllTextAsync(staged.Stage("eval.json", Path.Combine(folder, "eval.json")), report.ToJson(), ct);
                await File.WriteAllTextAsync(staged.Stage("eval.md", Path.Combine(folder, "eval.md")), report.ToMarkdown(), ct);
                staged.Commit();
            }
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
            var path = Path.GetFullPath(pr.GetValue(output)!);
            var imageFolder = Path.Combine("images", Path.GetFileNameWithoutExtension(path));
            var images = Path.Combine(Path.GetDirectoryName(path)!, imageFolder);
            if ((OutputTarget.Problem(path, null, engine.Inputs(pr)) ?? OutputTarget.FolderProblem(images, engine.Inputs(pr))) is { } problem)
            {
                return await CliRunner.UsageAsync($"--out: {problem}");
            }
            if (!File.Exists(path) && Directory.Exists(images) && Directory.EnumerateFileSystemEntries(images).Any())
            {
                // Replacing an earlier output replaces its images too; a stranger's folder of that name is left alone.
                return await CliRunner.UsageAsync($"--out: {images} already exists and {path} does not; choose another output name");
            }
            var (opened, code) = await engine.OpenAsync(pr, ct);
            if (opened is not { } run) return code;
            using var _ = run;
            var kind = pr.GetValue(strategy) == "direct" ? SynthStrategy.Direct : SynthStrategy.InContext;
            var filter = new QuestionFilter();
            using var staged = new StagedOutput(path);
            var stagedImages = staged.Stage(imageFolder, images);
            int written;
            await using (var writer = new JsonlDatasetWriter(staged.Stage(Path.GetFileName(path), path), JsonlImageMode.Files, imageFolder))
            {
                var progress = new LineProgress("synth", "seeds", run.Count);
                try
                {
                    await new SynthRunner(run.Sampler, new PromptTemplate(), kind, filter)
                        .RunAsync(run.Records, pr.GetValue(samples), run.Settings, (r, c) => writer.WriteAsync(r, null, c), progress, ct);
                }
                catch (DatasetFormatException ex)
                {
                    return await CliRunner.FailedAsync(ex.Message);
                }
                catch (ArgumentException ex)
                {
                    return await CliRunner.UsageAsync(ex.Message);
                }
                written = writer.Count;
                run.ReportSkipped();
            }
            Directory.CreateDirectory(stagedImages);   // an output with no accepted question still replaces an earlier one's images
            staged.Commit();
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
