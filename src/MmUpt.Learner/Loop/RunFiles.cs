using System.Text.Json;
using System.Text.Json.Serialization;
using MmUpt.Training.Loop;

namespace MmUpt.Learner.Loop;

/// <summary>
/// The files a <c>mmupt train</c> run writes in its folder for the report and for tools: <c>steps.jsonl</c> (a
/// <see cref="StepRecord"/> per step), <c>evals.jsonl</c> (an <see cref="EvalRecord"/> per held-out measurement), both
/// appended and flushed line by line (a resumed run appends), and <c>run.json</c> (the <see cref="RunSummary"/>, written
/// aside and renamed). Non-finite numbers (a metric of an empty batch) are written as "NaN"/"Infinity" strings.
/// </summary>
public sealed class RunFiles : IDisposable
{
    public static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly Lock _gate = new();
    private readonly StreamWriter _steps;
    private readonly StreamWriter _evals;
    private StreamWriter? _dev;

    public RunFiles(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
        _steps = new StreamWriter(StepsFile, append: true);
        _evals = new StreamWriter(EvalsFile, append: true);
    }

    public string Folder { get; }
    public string StepsFile => Path.Combine(Folder, "steps.jsonl");
    public string EvalsFile => Path.Combine(Folder, "evals.jsonl");
    public string SummaryFile => Path.Combine(Folder, "run.json");
    public string DevFile => Path.Combine(Folder, "dev.jsonl");

    public void Write(StepRecord record) => Append(_steps, JsonSerializer.Serialize(record, Json));

    public void Write(EvalRecord record) => Append(_evals, JsonSerializer.Serialize(record, Json));

    /// <summary>A dev-set measurement (<c>dev.jsonl</c>, created at the first one).</summary>
    public void WriteDev(EvalRecord record)
    {
        lock (_gate) _dev ??= new StreamWriter(DevFile, append: true);
        Append(_dev, JsonSerializer.Serialize(record, Json));
    }

    public void Write(RunSummary summary)
    {
        var tmp = SummaryFile + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(summary, new JsonSerializerOptions(Json) { WriteIndented = true }));
        File.Move(tmp, SummaryFile, overwrite: true);
    }

    private void Append(StreamWriter writer, string line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public void Dispose()
    {
        _steps.Dispose();
        _evals.Dispose();
        _dev?.Dispose();
    }
}
