using System.Text.Json;
using System.Text.Json.Serialization;
using MmUpt.Training.Loop;

namespace MmUpt.Cli.Demo;

/// <summary>
/// Reads what one <c>mmupt train</c> run wrote (<c>run.json</c>, <c>evals.jsonl</c>, <c>steps.jsonl</c>) with the
/// record types that wrote them. A missing file reads as empty (the run stopped before writing it); a bad line is a
/// <see cref="DemoException"/> naming the file and line.
/// </summary>
public static class RunFiles
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string SummaryFile(string folder) => Path.Combine(folder, "run.json");

    public static string EvalsFile(string folder) => Path.Combine(folder, "evals.jsonl");

    public static string StepsFile(string folder) => Path.Combine(folder, "steps.jsonl");

    public static string DevFile(string folder) => Path.Combine(folder, "dev.jsonl");

    public static ArmRun Load(string name, string folder)
    {
        var summaryPath = SummaryFile(folder);
        RunSummary? summary = null;
        if (File.Exists(summaryPath))
        {
            summary = Parse<RunSummary>(File.ReadAllText(summaryPath), summaryPath, null);
        }
        return new ArmRun(name, folder, summary, Lines<EvalRecord>(EvalsFile(folder)), Lines<StepRecord>(StepsFile(folder)))
        {
            Dev = Lines<EvalRecord>(DevFile(folder)),
        };
    }

    private static List<T> Lines<T>(string path)
    {
        if (!File.Exists(path)) return [];
        var list = new List<T>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Trim().Length > 0) list.Add(Parse<T>(line, path, number));
        }
        return list;
    }

    private static T Parse<T>(string text, string path, int? line)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new DemoException($"{path}{(line is { } n ? $": line {n}" : "")}: not a {typeof(T).Name} ({ex.Message})");
        }
    }
}
