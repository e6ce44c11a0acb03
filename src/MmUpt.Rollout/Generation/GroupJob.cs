using System.Diagnostics;
using MmUpt.Contracts.V1;
using MmUpt.Rollout.Engine;

namespace MmUpt.Rollout.Generation;

/// <summary>
/// One validated Generate request on its way through the worker: the prepared prompt, G, how its rows sample, and the
/// caller's cancellation. <see cref="Rows"/> builds its G generator rows; each finished row is handed to
/// <see cref="RowFinished"/>, which the request's delivery consumes.
/// </summary>
public sealed class GroupJob(GenerateRequest request, PreparedPrompt prompt, GroupSampling sampling, SamplingParams applied,
    CancellationToken cancellation)
{
    private readonly long _arrived = Stopwatch.GetTimestamp();

    public GenerateRequest Request { get; } = request;
    public PreparedPrompt Prompt { get; } = prompt;
    public GroupSampling Sampling { get; } = sampling;

    /// <summary>The sampling parameters with defaults resolved, as samples report them.</summary>
    public SamplingParams Applied { get; } = applied;

    public int GroupSize => (int)Request.GroupSize;
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Time from arrival to now.</summary>
    public TimeSpan Age => Stopwatch.GetElapsedTime(_arrived);

    /// <summary>Set when the job enters a generator: how long it queued, and the weights version serving it.</summary>
    public TimeSpan Queued { get; private set; }
    public ulong WeightsVersion { get; private set; }

    /// <summary>Receives (row index in the group, result) as each row finishes.</summary>
    public Action<int, RowResult> RowFinished { get; set; } = (_, _) => { };

    /// <summary>Completes with the batch's statistics share when the generator holding the job ends, or faults.</summary>
    public TaskCompletionSource Generated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IEnumerable<BatchRow> Rows(ulong weightsVersion)
    {
        Queued = Age;
        WeightsVersion = weightsVersion;
        var seed = Sampling.Settings.Seed;
        return Enumerable.Range(0, GroupSize).Select(i => new BatchRow(Prompt, Sampling, RowSampler.RowRandom(seed, i), Cancellation,
            r => RowFinished(i, r)));
    }
}
