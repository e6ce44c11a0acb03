using MmUpt.Sampling;
using MmUpt.Data;
namespace MmUpt.Evaluation;

/// <summary>
/// <c>mmupt eval</c>: for every record, K samples from the engine on the templated prompt, final answers extracted by
/// the caller's extractor (null = no answer), then <see cref="EvalScorer"/>. Records are taken in file order; problem i
/// is sampled with seed <c>settings.Seed + i·1000</c>, so a run is reproducible and problems draw independently.
/// Problems are grouped in the report by the record field <paramref name="groupBy"/> when they have it.
/// </summary>
public sealed class EvalRunner(ISampler sampler, PromptTemplate template, Func<string, string?> extractAnswer, string? groupBy = null)
{
    /// <summary>One evaluated problem: its record id, reference, group, and each sample's text and extracted answer.</summary>
    public sealed record Outcome(string Id, string? Reference, IReadOnlyList<SampledText> Samples, IReadOnlyList<string?> Answers,
        string? Group = null);

    public async Task<IReadOnlyList<Outcome>> RunAsync(IAsyncEnumerable<DataRecord> records, int samplesPerProblem,
        SamplingSettings settings, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerProblem, 1);
        var outcomes = new List<Outcome>();
        var index = 0UL;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            var prompt = template.Render(record);
            var samples = await sampler.SampleAsync(prompt, samplesPerProblem, settings with { Seed = settings.Seed + index * 1000 },
                cancellationToken);
            var group = groupBy is not null && record.Fields?.TryGetValue(groupBy, out var g) == true ? g : null;
            outcomes.Add(new Outcome(record.Id, record.Answer, samples, samples.Select(s => extractAnswer(s.Text)).ToList(), group));
            index++;
            progress?.Report(outcomes.Count);
        }
        return outcomes;
    }

    /// <summary>Scores outcomes with the caller's equivalence (candidate, reference).</summary>
    public static EvalReport Score(IReadOnlyList<Outcome> outcomes, Func<string, string, bool> equivalent) =>
        EvalScorer.Score(outcomes.Select(o => new EvalItem(o.Id, o.Reference, o.Answers, o.Group)).ToList(), equivalent);
}
