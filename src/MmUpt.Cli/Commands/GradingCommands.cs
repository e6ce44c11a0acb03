using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using MmUpt.Grading.Equivalence;
using MmUpt.Grading.Voting;

namespace MmUpt.Cli;

/// <summary>
/// <c>mmupt grade</c> and <c>mmupt vote-offline</c>: the grader and the vote on JSONL files, to check them against outside
/// test suites. Output is one JSON line per input line, so results align with inputs; a malformed line gives
/// <c>{"line": N, "error": "..."}</c> in its place and the exit code 1.
/// </summary>
public static class GradingCommands
{
    // Keep quotes, π and ° readable in the output instead of \u0027-style escapes.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Grade()
    {
        var command = new Command("grade",
            "Grade answer pairs: each input line {\"candidate\": ..., \"reference\": ..., \"choices\"?: [...]} prints " +
            "{\"equivalent\": true|false}. Faithful = MathRuler's grade_answer on the strings as given; robust = the vote's " +
            "answer extraction on both sides (whole responses or short answers), then value equivalence.\n\n" +
            "Example:\n  mmupt grade --in pairs.jsonl --mode robust > verdicts.jsonl");
        var input = InputOption("JSONL file of {\"candidate\", \"reference\"} pairs.");
        var mode = ModeOption();
        command.Options.Add(input);
        command.Options.Add(mode);
        command.SetAction((pr, ct) => RunLinesAsync(pr.GetValue(input)!, pr.GetValue(mode)!, (options, line) =>
        {
            var candidate = RequiredString(line, "candidate");
            var reference = RequiredString(line, "reference");
            return new Dictionary<string, object?> { ["equivalent"] = new ResponseGrader(options).Equivalent(candidate, reference, Choices(line)) };
        }, ct));
        return command;
    }

    public static Command VoteOffline()
    {
        var command = new Command("vote-offline",
            "Vote groups from a file: each input line {\"id\"?, \"responses\": [...], \"reference\"?, \"prompt\"?, " +
            "\"choices\"?: [...]} prints the majority, rewards, answers and metrics of the group; the step metrics over all " +
            "groups (top-answer share, vote accuracy...) go to stderr at the end.\n\n" +
            "Example:\n  mmupt vote-offline --in groups.jsonl --mode robust > votes.jsonl");
        var input = InputOption("JSONL file of groups of responses.");
        var mode = ModeOption();
        command.Options.Add(input);
        command.Options.Add(mode);
        command.SetAction(async (pr, ct) =>
        {
            var votes = new List<GroupVote>();
            var code = await RunLinesAsync(pr.GetValue(input)!, pr.GetValue(mode)!, (options, line) =>
            {
                if (!line.TryGetProperty("responses", out var r) || r.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException("\"responses\" must be an array of strings");
                }
                var responses = r.EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("responses must be strings")).ToList();
                var choices = Choices(line) ?? (options.ParseChoices && OptionalString(line, "prompt") is { } p ? ChoiceSet.Parse(p) : null);
                var vote = VoteAggregators.Create(options).Vote(new VoteInput(responses, OptionalString(line, "reference"), choices, OptionalString(line, "id")));
                votes.Add(vote);
                return VoteJson.Group(OptionalString(line, "id"), vote);
            }, ct);
            await Console.Error.WriteLineAsync(JsonSerializer.Serialize(VoteJson.Step(StepVoteMetrics.Compute(votes)), Json));
            return code;
        });
        return command;
    }

    private static Option<string> InputOption(string what) => new("--in") { Description = what, HelpName = "FILE", Required = true };

    private static Option<string> ModeOption()
    {
        var option = VoteFlags.Mode("faithful (default: the original MM-UPT rules), robust, or random (the control arm).", restrict: true);
        option.DefaultValueFactory = _ => VoteModeNames.Name(VoteMode.Faithful);
        return option;
    }

    // Reads the file line by line, maps each non-blank line to one JSON output line; bad lines become error lines.
    private static async Task<int> RunLinesAsync(string path, string mode, Func<VoteOptions, JsonElement, object> map, CancellationToken ct)
    {
        var options = VoteOptions.ForMode(VoteModeNames.Parse(mode));
        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"error: --in: file not found: {path}");
            return CliRunner.Usage;
        }
        var bad = 0;
        var number = 0;
        await foreach (var text in File.ReadLinesAsync(path, ct))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            object result;
            try
            {
                using var doc = JsonDocument.Parse(text);
                result = doc.RootElement.ValueKind == JsonValueKind.Object
                    ? map(options, doc.RootElement)
                    : throw new FormatException("a line must be a JSON object");
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException)
            {
                bad++;
                result = new Dictionary<string, object?> { ["line"] = number, ["error"] = ex.Message };
                await Console.Error.WriteLineAsync($"error: {path}:{number}: {ex.Message}");
            }
            Console.WriteLine(JsonSerializer.Serialize(result, Json));
        }
        return bad == 0 ? CliRunner.Ok : CliRunner.Failed;
    }

    private static string RequiredString(JsonElement line, string name) =>
        line.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new FormatException($"\"{name}\" must be a string");

    private static string? OptionalString(JsonElement line, string name) =>
        line.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static ChoiceSet? Choices(JsonElement line) =>
        line.TryGetProperty("choices", out var c) && c.ValueKind == JsonValueKind.Array
            ? new ChoiceSet([.. c.EnumerateArray().Select(e => e.ToString())])
            : null;
}
