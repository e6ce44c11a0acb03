using MmUpt.Sampling;
using MmUpt.Data;
namespace MmUpt.SelfGeneration;

/// <summary>
/// <c>mmupt synth</c>: for every seed record, n samples of the strategy's prompt (<see cref="SynthPrompts"/>); each
/// response's question (<see cref="QuestionExtractor"/>) goes through the <see cref="QuestionFilter"/>, and accepted
/// ones become unlabelled rows on the seed's images. Seed record i is sampled with seed <c>settings.Seed + i·1000</c>.
/// </summary>
public sealed class SynthRunner(ISampler sampler, PromptTemplate template, SynthStrategy strategy, QuestionFilter filter)
{
    /// <summary>Writes accepted questions through <paramref name="accept"/>; returns how many seeds were used.</summary>
    public async Task<int> RunAsync(IAsyncEnumerable<DataRecord> seeds, int samplesPerSeed, SamplingSettings settings,
        Func<DataRecord, CancellationToken, Task> accept, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerSeed, 1);
        var used = 0;
        var written = 0;
        await foreach (var seed in seeds.WithCancellation(cancellationToken))
        {
            if (strategy == SynthStrategy.InContext && seed.Answer is null)
            {
                throw new ArgumentException($"record {seed.Id} has no answer; in-context synthesis needs labelled seeds (use --strategy direct)");
            }
            var prompt = SynthPrompts.Build(strategy, seed, template);
            var samples = await sampler.SampleAsync(prompt, samplesPerSeed, settings with { Seed = settings.Seed + (ulong)used * 1000 },
                cancellationToken);
            foreach (var sample in samples)
            {
                var question = QuestionExtractor.Extract(sample.Text);
                if (filter.Check(question, seed, strategy) == FilterReason.Accepted)
                {
                    await accept(SynthPrompts.ToRecord(strategy, seed, question, written++), cancellationToken);
                }
            }
            used++;
            progress?.Report(used);
        }
        return used;
    }
}
