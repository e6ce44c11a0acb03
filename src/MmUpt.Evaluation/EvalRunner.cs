using MmUpt.Data;
using MmUpt.Grading.Voting;
using MmUpt.Sampling;

namespace MmUpt.Evaluation;

/// <summary>
/// <c>mmupt eval</c>: for every record, K samples from the engine on the templated prompt, then <see cref="EvalScorer"/>
/// votes and grades them as the voting service does. Records are taken in file order; problem i is sampled with seed
/// <c>settings.Seed + i·1000</c>, so a run is reproducible and problems draw independently. Problems are grouped in the
/// report by the record field <paramref name="groupBy"/> when they have it.
/// </summary>
public sealed class EvalRunner(ISampler sampler, PromptTemplate template, string? groupBy = null)
{
    /// <summary>One evaluated problem: its record id, reference, samples, group and rendered prompt text.</summary>
    public sealed record Outcome(string Id, string? Reference, IReadOnlyList<SampledText> Samples, string? Group, string PromptText);

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
            outcomes.Add(new Outcome(record.Id, record.Answer, samples, group, prompt.Text));
            index++;
            progress?.Report(outcomes.Count);
        }
        return outcomes;
    }

    /// <summary>Votes and scores outcomes with the training vote's options.</summary>
    public static EvalReport Score(IReadOnlyList<Outcome> outcomes, VoteOptions options) =>
        EvalScorer.Score([.. outcomes.Select(o => new EvalItem(o.Id, o.Reference, [.. o.Samples.Select(s => s.Text)], o.Group, o.PromptText))], options);
}
