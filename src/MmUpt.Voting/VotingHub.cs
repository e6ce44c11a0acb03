using Grpc.Core;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;

namespace MmUpt.Voting;

/// <summary>
/// The voting service's state: samples are assembled into groups (<see cref="GroupAssembler"/>), complete groups are
/// scored (<see cref="GroupScorer"/>) and queued for consumers (<see cref="DeliveryQueue"/>), incomplete ones expire.
/// A new group is refused (RESOURCE_EXHAUSTED) while <see cref="VotingOptions.MaxReadyGroups"/> scored groups are held.
/// </summary>
public sealed class VotingHub
{
    private readonly VotingOptions _options;
    private readonly GroupAssembler _assembler;
    private readonly VotingStats _stats;
    private readonly ILogger<VotingHub> _logger;

    public VotingHub(VotingOptions options, TimeProvider time, ILogger<VotingHub> logger)
    {
        _options = options;
        _logger = logger;
        _assembler = new GroupAssembler(options, time);
        _stats = new VotingStats(time);
        Scorer = new GroupScorer(options.ToVoteOptions());
        VotingLog.Started(logger, options.Mode, options.GroupTimeout, options.MaxPendingGroups);
    }

    public GroupScorer Scorer { get; }

    internal DeliveryQueue Delivery { get; } = new();

    /// <summary>Validates and adds one sample; scores and queues its group when the sample completes it.</summary>
    /// <returns>Whether the sample completed a group.</returns>
    public bool Submit(Sample sample, string peer)
    {
        Sample[]? complete;
        try
        {
            SampleValidator.Validate(sample, _options);
            complete = _assembler.Add(sample, CanOpenGroup);
        }
        catch (RpcException ex)
        {
            if (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                VotingLog.BackPressure(_logger, peer, ex.Status.Detail);
            }
            else
            {
                _stats.SampleRejected();
                VotingLog.SampleRejected(_logger, peer, ex.Status.Detail);
            }
            throw;
        }
        _stats.SampleAccepted();
        if (complete is null)
        {
            return false;
        }
        var (group, vote) = Scorer.Score(complete);
        Delivery.Enqueue(group);
        _stats.GroupScored(vote);
        var majority = group.Metrics.MajorityAnswer;
        VotingLog.GroupScored(_logger, new GroupAttempt(group.GroupId, group.Attempt), majority.Length <= 80 ? majority : majority[..80] + "…",
            vote.MajorityRatio, group.Mode);
        return true;
    }

    /// <summary>Drops incomplete groups older than the timeout; each is counted and logged, none is scored.</summary>
    public int ExpireStale()
    {
        var expired = _assembler.Expire();
        foreach (var g in expired)
        {
            _stats.GroupExpired();
            VotingLog.GroupExpired(_logger, g.Key, g.Received, g.Size, _options.GroupTimeout);
        }
        return expired.Count;
    }

    public VotingStatus Status(ProcessInfo process)
    {
        var (ready, unacknowledged) = Delivery.Counts();
        var recent = _stats.Recent();
        return new VotingStatus
        {
            Process = process,
            GroupsPending = (uint)_assembler.Pending,
            GroupsReady = (uint)ready,
            GroupsUnacknowledged = (uint)unacknowledged,
            GroupsScored = (ulong)_stats.Scored,
            GroupsExpired = (ulong)_stats.Expired,
            SamplesRejected = (ulong)_stats.Rejected,
            SamplesPerSecond = _stats.SamplesPerSecond(),
            Mode = _options.Mode,
            RecentMajorityRatio = recent.MeanMajorityRatio,
            RecentTopAnswerShare = recent.TopAnswerShare,
        };
    }

    private string? CanOpenGroup()
    {
        var held = Delivery.Held;
        return held >= _options.MaxReadyGroups
            ? $"{held} scored groups are waiting for acknowledgement (MaxReadyGroups); retry later"
            : null;
    }
}
