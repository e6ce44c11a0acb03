using System.Globalization;
using MmUpt.Contracts.V1;
using Spectre.Console;

namespace MmUpt.Cli.Train;

/// <summary>
/// One status line of a running <c>mmupt train</c>, from the same <see cref="LearnerStatus"/> GetStatus returns:
/// <c>[0-upt] step 4/10 rollout · groups 5/8 · 60 tok/s · ETA 1m30s · last reward 0.625 majority 0.625 top-answer 0.50 · guard ok</c>.
/// </summary>
public static class TrainProgressLine
{
    private const int BarWidth = 20;

    /// <summary>The plain text (redirected output, logs).</summary>
    public static string Text(LearnerStatus s) => string.Join(" · ", Parts(s, bar: false));

    /// <summary>The same line as Spectre markup, with a bar of the step's groups.</summary>
    public static string Markup(LearnerStatus s) => string.Join(" [grey]·[/] ", Parts(s, bar: true));

    /// <summary>What changes the line's meaning (not its rates): a plain line is printed only when this changed.</summary>
    public static (string Stage, ulong Step, LearnerPhase Phase, uint Done, uint Wanted, string Guard) Key(LearnerStatus s) =>
        (s.Stage, s.Step, s.Phase, s.GroupsDone, s.GroupsWanted, s.Guard);

    private static IEnumerable<string> Parts(LearnerStatus s, bool bar)
    {
        var c = CultureInfo.InvariantCulture;
        var stage = s.Stage.Length > 0 ? $"[{s.Stage}] " : "";
        var phase = s.Phase.ToString().ToLowerInvariant();
        // step counts completed steps; while one runs, show the one in progress.
        var running = s.Phase is LearnerPhase.Rollout or LearnerPhase.Train or LearnerPhase.Publish;
        var shown = running && (s.TotalSteps == 0 || s.Step < s.TotalSteps) ? s.Step + 1 : s.Step;
        var total = s.TotalSteps > 0 ? $"/{s.TotalSteps}" : "";
        yield return Escape(bar, $"{stage}step {shown}{total} {phase}");
        if (s.GroupsWanted > 0)
        {
            var groups = $"groups {s.GroupsDone}/{s.GroupsWanted}";
            yield return bar ? $"{Bar(s.GroupsDone, s.GroupsWanted)} {groups}" : groups;
        }
        if (s.RolloutTokensPerSecond > 0) yield return string.Create(c, $"{s.RolloutTokensPerSecond:F0} tok/s");
        if (s.Eta is { } eta) yield return $"ETA {Duration(eta.ToTimeSpan())}";
        if (s.LastStepMetrics.Count > 0)
        {
            string M(string key, string format) => s.LastStepMetrics.TryGetValue(key, out var v) ? v.ToString(format, c) : "-";
            yield return $"last reward {M("reward_mean", "F3")} majority {M("majority_ratio", "F3")} top-answer {M("top_answer_share", "F2")}";
        }
        if (s.Guard.Length > 0) yield return bar && !s.Guard.StartsWith("ok", StringComparison.Ordinal)
            ? $"[red]guard {Spectre.Console.Markup.Escape(s.Guard)}[/]"
            : Escape(bar, $"guard {s.Guard}");
    }

    private static string Escape(bool markup, string text) => markup ? Spectre.Console.Markup.Escape(text) : text;

    private static string Bar(uint done, uint wanted)
    {
        var filled = (int)Math.Round(BarWidth * Math.Min(1.0, done / (double)wanted));
        return $"[green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/]";
    }

    /// <summary>1h02m, 3m05s, 42s.</summary>
    public static string Duration(TimeSpan t) => t.TotalHours >= 1
        ? $"{(int)t.TotalHours}h{t.Minutes:00}m"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{Math.Max(0, (int)Math.Round(t.TotalSeconds))}s";
}
