using System.CommandLine;
using System.Globalization;
using MmUpt.Data;

namespace MmUpt.Cli;

/// <summary><c>mmupt data synth-tasks</c> and <c>mmupt data inspect</c>: make the demo's datasets and look into any dataset.</summary>
public static class DataCommands
{
    public static Command Data() => new("data", "Dataset tools: synthetic visual tasks, dataset inspection.\n\n" +
                                                "Example:\n  mmupt data synth-tasks --out runs/demo/data --n 1000 --kind count,add")
    {
        SynthTasks(),
        Inspect(),
    };

    public static Command SynthTasks()
    {
        var command = new Command("synth-tasks",
            "Render synthetic visual reasoning tasks (SkiaSharp, deterministic by seed) as disjoint splits: sft.jsonl " +
            "(labelled), upt.jsonl (answers withheld; upt-labels.jsonl keeps them for metrics only), eval.jsonl (held out, " +
            "labelled), with --dev N also dev.jsonl (held out, labelled: for the collapse guard, not for reporting), PNGs under " +
            "images/, manifest.json. A task's generation parameters decide its split, so no parameter " +
            "set is in two splits, for any seed.\n\n" +
            "Example:\n  mmupt data synth-tasks --out runs/demo/data --n 1000 --seed 1 --kind count,add,compare --difficulty 1,2");
        var output = CommonOptions.Out("Folder to write the splits to (created).");
        output.Required = true;
        var n = new Option<int>("--n") { Description = "Total tasks, split 30% SFT / 50% UPT / 20% eval.", HelpName = "N", DefaultValueFactory = _ => 1000 };
        var seed = CommonOptions.Seed();
        seed.DefaultValueFactory = _ => 1;
        var kind = new Option<string>("--kind") { Description = "Comma-separated kinds: count, add, compare.", HelpName = "KIND[,KIND]", DefaultValueFactory = _ => "count,add,compare" };
        var difficulty = new Option<string>("--difficulty") { Description = "Comma-separated levels 1 (easy) to 3 (hard), drawn uniformly.", HelpName = "LEVELS", DefaultValueFactory = _ => "1,2" };
        var sft = new Option<int?>("--sft") { Description = "SFT split size (overrides the share of --n).", HelpName = "N" };
        var upt = new Option<int?>("--upt") { Description = "UPT split size (overrides the share of --n).", HelpName = "N" };
        var eval = new Option<int?>("--eval") { Description = "Eval split size (overrides the share of --n).", HelpName = "N" };
        var dev = new Option<int>("--dev") { Description = "Dev split size (labelled, held out; default 0: none).", HelpName = "N" };
        var parquet = new Option<bool>("--parquet") { Description = "Also write sft/upt/eval.parquet in the Hugging Face layout." };
        foreach (var o in new Option[] { output, n, seed, kind, difficulty, sft, upt, eval, dev, parquet }) command.Options.Add(o);
        command.SetAction(async (pr, ct) =>
        {
            if (!TryKinds(pr.GetValue(kind)!, out var kinds, out var error) || !TryLevels(pr.GetValue(difficulty)!, out var levels, out error))
            {
                return await CliRunner.UsageAsync(error);
            }
            if (pr.GetValue(n) < 0) return await CliRunner.UsageAsync("--n must be >= 0");
            var shares = SyntheticSetOptions.DefaultCounts(pr.GetValue(n));
            var options = new SyntheticSetOptions
            {
                Kinds = kinds, Levels = levels, Seed = pr.GetValue(seed),
                SftCount = pr.GetValue(sft) ?? shares.Sft, UptCount = pr.GetValue(upt) ?? shares.Upt, EvalCount = pr.GetValue(eval) ?? shares.Eval,
                DevCount = pr.GetValue(dev),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                return await CliRunner.UsageAsync(ex.Message);
            }
            var folder = pr.GetValue(output)!;
            if (OutputTarget.Problem(folder, Written) is { } problem)
            {
                return await CliRunner.UsageAsync($"--out: {problem}");
            }
            var progress = new SplitProgress(options);
            SyntheticSetSummary summary;
            using (var staged = new StagedOutput(folder))
            {
                summary = await SyntheticSetWriter.WriteAsync(staged.Stage("data", folder), options, pr.GetValue(parquet), progress.Report, ct);
                staged.Commit();
            }
            progress.Done();
            Console.WriteLine($"wrote {summary.Splits.Values.Sum()} tasks to {pr.GetValue(output)} (seed {options.Seed})");
            Console.WriteLine($"  {"split/kind/level",-22} {"tasks",6}");
            foreach (var (key, count) in summary.ByKindAndLevel) Console.WriteLine($"  {key,-22} {count,6}");
            Console.WriteLine($"  files: {string.Join(", ", summary.Files)}");
            return CliRunner.Ok;
        });
        return command;
    }

    public static Command Inspect()
    {
        var command = new Command("inspect",
            "Read a dataset (JSONL or Hugging Face Parquet) once and print rows, usable and skipped rows with file and row of " +
            "each problem, image and answer counts, and the first prompts as the model will see them.\n\n" +
            "Example:\n  mmupt data inspect --data runs/demo/data/eval.jsonl --show 2");
        var data = new Option<string>("--data") { Description = "Dataset file: .jsonl or .parquet.", HelpName = "FILE", Required = true };
        var show = new Option<int>("--show") { Description = "Print the rendered prompt of the first N usable rows.", HelpName = "N", DefaultValueFactory = _ => 1 };
        var strict = new Option<bool>("--strict") { Description = "Stop at the first malformed row (exit 1) instead of skipping it." };
        command.Options.Add(data);
        command.Options.Add(show);
        command.Options.Add(strict);
        command.SetAction(async (pr, ct) =>
        {
            if (pr.GetValue(show) < 0) return await CliRunner.UsageAsync("--show must be >= 0");
            try
            {
                await using var reader = await DatasetReaders.OpenAsync(pr.GetValue(data)!, ct);
                var stream = DatasetStream.Start(reader, new DatasetStreamOptions
                {
                    Shuffle = false, Malformed = pr.GetValue(strict) ? MalformedRowPolicy.Fail : MalformedRowPolicy.Skip,
                });
                var template = new PromptTemplate();
                long usable = 0, answered = 0, images = 0;
                await foreach (var record in stream.ReadAsync(ct))
                {
                    if (usable < pr.GetValue(show)) Console.WriteLine($"--- {record.Id} (answer: {record.Answer ?? "none"})\n{template.Render(record).Text}");
                    usable++;
                    images += record.Images.Count;
                    if (record.Answer is not null) answered++;
                }
                Console.WriteLine($"{reader.Path}: {stream.Rows} rows in {reader.BlockSizes.Count} block(s); {usable} usable, " +
                                  $"{stream.SkippedRows} skipped; {answered} with answers; {images} images");
                foreach (var problem in stream.Problems) Console.WriteLine($"  skipped: {problem}");
                if (stream.SkippedRows > stream.Problems.Count) Console.WriteLine($"  ... and {stream.SkippedRows - stream.Problems.Count} more");
                return CliRunner.Ok;
            }
            catch (DatasetFormatException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return CliRunner.Failed;
            }
        });
        return command;
    }

    // What SyntheticSetWriter writes: an existing --out folder holding only these is an earlier run, replaced whole.
    private static readonly HashSet<string> Written =
    [
        .. Enum.GetValues<DataSplit>().SelectMany(s => new[] { $"{SyntheticSetWriter.Name(s)}.jsonl", $"{SyntheticSetWriter.Name(s)}.parquet" }),
        "upt-labels.jsonl", "manifest.json", "images",
    ];

    private static bool TryKinds(string text, out List<SyntheticTaskKind> kinds, out string error)
    {
        kinds = [];
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!SyntheticTasks.TryParse(part, out var k))
            {
                error = $"--kind: unknown kind '{part}' (use count, add, compare)";
                return false;
            }
            if (!kinds.Contains(k)) kinds.Add(k);
        }
        error = kinds.Count == 0 ? "--kind: give at least one kind" : "";
        return kinds.Count > 0;
    }

    private static bool TryLevels(string text, out List<int> levels, out string error)
    {
        levels = [];
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level is < SyntheticTasks.MinLevel or > SyntheticTasks.MaxLevel)
            {
                error = $"--difficulty: '{part}' is not a level {SyntheticTasks.MinLevel}..{SyntheticTasks.MaxLevel}";
                return false;
            }
            if (!levels.Contains(level)) levels.Add(level);
        }
        error = levels.Count == 0 ? "--difficulty: give at least one level" : "";
        return levels.Count > 0;
    }

    /// <summary>One progress line per 10% on stderr: <c>synth-tasks: 40% (sft 120/300, upt 200/500, eval 80/200)</c>.</summary>
    private sealed class SplitProgress(SyntheticSetOptions options)
    {
        private readonly Dictionary<DataSplit, int> _done = Enum.GetValues<DataSplit>().ToDictionary(s => s, _ => 0);
        private readonly int _total = options.SftCount + options.UptCount + options.EvalCount + options.DevCount;
        private int _lastDecile = -1;

        public void Report(DataSplit split, int done)
        {
            _done[split] = done;
            var decile = _done.Values.Sum() * 10 / Math.Max(1, _total);
            if (decile == _lastDecile) return;
            _lastDecile = decile;
            Console.Error.WriteLine($"synth-tasks: {decile * 10,3}% (sft {_done[DataSplit.Sft]}/{options.SftCount}, " +
                                    $"upt {_done[DataSplit.Upt]}/{options.UptCount}, eval {_done[DataSplit.Eval]}/{options.EvalCount}" +
                                    (options.DevCount > 0 ? $", dev {_done[DataSplit.Dev]}/{options.DevCount})" : ")"));
        }

        public void Done()
        {
            if (_lastDecile < 10) Report(DataSplit.Sft, _done[DataSplit.Sft]);
        }
    }
}
