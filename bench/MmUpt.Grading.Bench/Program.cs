using System.Diagnostics;
using MmUpt.Grading.Bench;
using MmUpt.Grading.Equivalence;
using MmUpt.Grading.Extraction;
using MmUpt.Grading.Voting;

// Single-threaded, so "per second" is per core. Warm-up first so tiered JIT has settled; no timing is asserted anywhere.
var rows = new List<(string Name, string Value, string Target)>();
foreach (var (name, grader) in new[] { ("faithful", MathAnswerGrader.Faithful), ("robust", MathAnswerGrader.Robust) })
{
    var perSecond = GradesPerSecond(grader, TimeSpan.FromSeconds(3));
    rows.Add(($"graded simple answers/s/core ({name})", $"{perSecond:N0}", ">= 100,000"));
}
foreach (var (name, extractor) in new[] { ("faithful, boxed", AnswerExtractors.Create(ExtractionOptions.Faithful)), ("robust, whole response", AnswerExtractors.Create(ExtractionOptions.Robust)) })
{
    var perSecond = ExtractionsPerSecond(extractor, TimeSpan.FromSeconds(2));
    rows.Add(($"extractions/s/core ({name})", $"{perSecond:N0}", ""));
}
foreach (var (name, options) in new[] { ("faithful", VoteOptions.Faithful), ("robust", VoteOptions.Robust) })
{
    var (p50, p99, max) = GroupLatency(VoteAggregators.Create(options), groups: 20_000);
    rows.Add(($"score one group of 10, p50 ({name})", $"{p50 * 1000:F1} µs", ""));
    rows.Add(($"score one group of 10, p99 ({name})", $"{p99 * 1000:F1} µs", "< 1,000 µs"));
    rows.Add(($"score one group of 10, max ({name})", $"{max * 1000:F1} µs", ""));
}

Console.WriteLine($"MmUpt.Grading.Bench  ({Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, single thread)");
Console.WriteLine($"{"measure",-44} {"value",16}  {"target",-12}");
Console.WriteLine(new string('-', 76));
foreach (var (name, value, target) in rows)
{
    Console.WriteLine($"{name,-44} {value,16}  {target,-12}");
}
return 0;

// Grades of raw string pairs (both sides normalized on every call), counted over a fixed wall-clock window.
static double GradesPerSecond(IAnswerGrader grader, TimeSpan window)
{
    var pairs = Workloads.SimplePairs;
    var sink = 0;
    for (var i = 0; i < 200_000; i++)
    {
        var (c, r) = pairs[i % pairs.Length];
        sink += grader.Equivalent(c, r) ? 1 : 0;
    }
    var count = 0L;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed < window)
    {
        for (var i = 0; i < 10_000; i++, count++)
        {
            var (c, r) = pairs[count % pairs.Length];
            sink += grader.Equivalent(c, r) ? 1 : 0;
        }
    }
    GC.KeepAlive(sink);
    return count / watch.Elapsed.TotalSeconds;
}

// Final answers found per second in ~600-character responses: boxed, unboxed with inline math, and with a closing phrase.
static double ExtractionsPerSecond(IAnswerExtractor extractor, TimeSpan window)
{
    var responses = Workloads.Responses;
    var sink = 0;
    for (var i = 0; i < 50_000; i++)
    {
        sink += extractor.Extract(responses[i % responses.Length]).Found ? 1 : 0;
    }
    var count = 0L;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed < window)
    {
        for (var i = 0; i < 1_000; i++, count++)
        {
            sink += extractor.Extract(responses[count % responses.Length]).Found ? 1 : 0;
        }
    }
    GC.KeepAlive(sink);
    return count / watch.Elapsed.TotalSeconds;
}

// Milliseconds per Vote() call (extraction, normalization, clustering, rewards, metrics) over distinct groups.
static (double P50, double P99, double Max) GroupLatency(IVoteAggregator vote, int groups)
{
    var inputs = Workloads.Groups(groups, seed: 7).Select(g => new VoteInput(g, Reference: "12")).ToList();
    foreach (var input in inputs.Take(5_000))
    {
        vote.Vote(input);
    }
    var times = new double[inputs.Count];
    for (var i = 0; i < inputs.Count; i++)
    {
        var start = Stopwatch.GetTimestamp();
        vote.Vote(inputs[i]);
        times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
    Array.Sort(times);
    return (times[times.Length / 2], times[(int)(times.Length * 0.99)], times[^1]);
}
