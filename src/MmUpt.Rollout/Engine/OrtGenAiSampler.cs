using MmUpt.Contracts.V1;
using MmUpt.Data;
using MmUpt.Sampling;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// <see cref="ISampler"/> over an in-process <see cref="OrtGenAiEngine"/> (for <c>mmupt eval</c> and <c>mmupt synth</c>).
/// n samples are drawn in batches of at most 32 rows (ORT GenAI's limit); batch j uses seed + j, so the result depends
/// only on (weights, prompt, n, settings). Thread-safe, as the engine is.
/// </summary>
public sealed class OrtGenAiSampler(OrtGenAiEngine engine) : ISampler
{
    public const int MaxBatch = 32;

    public string Name => $"ort-genai:{engine.ModelDir}";

    public Task<IReadOnlyList<SampledText>> SampleAsync(PromptSpec prompt, int n, SamplingSettings settings,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return Task.Run<IReadOnlyList<SampledText>>(() =>
        {
            var prepared = engine.Prepare(prompt.Text, prompt.Images.Select(i => i.Bytes).ToList());
            var results = new List<SampledText>(n);
            for (var batch = 0; results.Count < n; batch++)
            {
                var rows = Math.Min(MaxBatch, n - results.Count);
                var group = engine.Sample(prepared, rows, settings with { Seed = settings.Seed + (ulong)batch }, cancellationToken);
                results.AddRange(group.Select(s => new SampledText(s.Text,
                    s.Finish == FinishReason.Stop ? SampleFinish.Stop : SampleFinish.Length, s.TokenIds.Length)));
            }
            return results;
        }, cancellationToken);
    }
}
