using System.Text.Json;

namespace MmUpt.Data;

/// <summary>
/// Writes the splits of <see cref="SyntheticSetBuilder"/> to a folder:
/// <c>sft.jsonl</c>, <c>upt.jsonl</c> (no answers), <c>eval.jsonl</c>, <c>dev.jsonl</c> (when asked for), <c>upt-labels.jsonl</c> (<c>{id, answer}</c>,
/// for label-accuracy metrics only), PNGs under <c>images/SPLIT/</c>, <c>manifest.json</c>; with <c>parquet</c> also
/// <c>SPLIT.parquet</c> in the HF layout (images inline). Rows carry <c>kind</c> and <c>level</c> as extra fields.
/// </summary>
public static class SyntheticSetWriter
{
    public static async Task<SyntheticSetSummary> WriteAsync(string directory, SyntheticSetOptions options, bool parquet = false,
        Action<DataSplit, int>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var splits = options.Splits;
        var writers = splits.ToDictionary(s => s, s => new JsonlDatasetWriter(Path.Combine(directory, $"{Name(s)}.jsonl")));
        var labels = new StreamWriter(Path.Combine(directory, "upt-labels.jsonl"));
        var rows = splits.ToDictionary(s => s, _ => new List<DataRecord>());
        var byKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        try
        {
            foreach (var (split, id, task) in SyntheticSetBuilder.Generate(options))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var answer = split == DataSplit.Upt ? null : task.Answer;
                var record = new DataRecord(id, task.Problem, answer, [new ImageData(task.Png)]);
                var extra = new Dictionary<string, object?> { ["kind"] = SyntheticTasks.Name(task.Kind), ["level"] = task.Level };
                await writers[split].WriteAsync(record, extra, cancellationToken);
                if (split == DataSplit.Upt)
                {
                    await labels.WriteLineAsync(JsonSerializer.Serialize(new { id, answer = task.Answer }).AsMemory(), cancellationToken);
                }
                if (parquet) rows[split].Add(record);
                var key = $"{Name(split)}/{SyntheticTasks.Name(task.Kind)}/{task.Level}";
                byKind[key] = byKind.GetValueOrDefault(key) + 1;
                progress?.Invoke(split, writers[split].Count);
            }
        }
        finally
        {
            foreach (var w in writers.Values) await w.DisposeAsync();
            await labels.DisposeAsync();
        }
        var files = splits.Select(s => $"{Name(s)}.jsonl").Append("upt-labels.jsonl").ToList();
        if (parquet)
        {
            foreach (var s in splits)
            {
                await HfParquetWriter.WriteAsync(Path.Combine(directory, $"{Name(s)}.parquet"), rows[s], 1000, cancellationToken);
                files.Add($"{Name(s)}.parquet");
            }
        }
        var summary = new SyntheticSetSummary(splits.ToDictionary(Name, s => writers[s].Count), byKind, files);
        var manifest = new
        {
            seed = options.Seed,
            kinds = options.Kinds.Select(SyntheticTasks.Name),
            levels = options.Levels,
            splitRule = $"FNV-1a(key) → SFT < {SyntheticSetBuilder.SftShare}, UPT < {SyntheticSetBuilder.SftShare + SyntheticSetBuilder.UptShare}, " +
                        $"dev < {SyntheticSetBuilder.SftShare + SyntheticSetBuilder.UptShare + SyntheticSetBuilder.DevShare}, else eval",
            summary,
        };
        await File.WriteAllTextAsync(Path.Combine(directory, "manifest.json"),
            JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        files.Add("manifest.json");
        return summary;
    }

    public static string Name(DataSplit split) => split.ToString().ToLowerInvariant();
}
