using Grpc.Core;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Core.Options;
using MmUpt.Grading.Voting;

namespace MmUpt.Voting;

/// <summary>
/// The voting service's state: samples are assembled into groups (<see cref="GroupAssembler"/>), complete groups are
/// scored (<see cref="GroupScorer"/>), persisted (<see cref="VotingJournal"/>, when a data folder is set) and only then
/// queued for subscribers (<see cref="DeliveryQueue"/>); incomplete groups and leases expire. A new group is refused
/// (RESOURCE_EXHAUSTED) while <see cref="VotingOptions.MaxReadyGroups"/> groups or <see cref="VotingOptions.MaxHeldBytes"/>
/// bytes of scored groups are held.
/// </summary>
public sealed class VotingHub : IAsyncDisposable
{
    private readonly VotingOptions _options;
    private readonly GroupAssembler _assembler;
    private readonly VotingStats _stats;
    private readonly VotingJournal? _journal;
    private readonly ILogger<VotingHub> _logger;

    public VotingHub(VotingOptions options, TimeProvider time, ILogger<VotingHub> logger)
    {
        _options = options;
        _logger = logger;
        _assembler = new GroupAssembler(options, time);
        _stats = new VotingStats(time);
        Scorer = new GroupScorer(options.ToVoteOptions());
        Delivery = new DeliveryQueue(options, time);
        if (options.DataFolder is { } folder)
        {
            VotingJournal.Replay replay;
            try
            {
                (_journal, replay) = VotingJournal.Open(folder, options.LogCompactBytes, _assembler.ScoredIds, logger);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OptionsException($"{VotingOptions.Section}:{nameof(VotingOptions.DataFolder)}",
                    $"cannot open {Path.Combine(folder, VotingJournal.FileName)} (in use by another voting service, or not writable): {ex.Message}");
            }
            foreach (var (id, attempt) in replay.Scored)
            {
                _assembler.MarkScored(id, attempt);
            }
            foreach (var group in replay.Unacknowledged)
            {
                Delivery.Enqueue(group, group.CalculateSize());
            }
            _stats.GroupsRecovered(replay.Unacknowledged.Count);
            VotingLog.Recovered(logger, replay.Unacknowledged.Count, Path.Combine(folder, VotingJournal.FileName));
        }
        VotingLog.Started(logger, options.Mode, options.GroupTimeout, options.MaxPendingGroups,
            options.DataFolder is null ? "none (nothing persisted)" : Path.Combine(options.DataFolder, VotingJournal.FileName));
    }

    public GroupScorer Scorer { get; }

    internal DeliveryQueue Delivery { get; }

    internal VotingStats Stats => _stats;

    /// <summary>The durable log's file; null when nothing is persisted.</summary>
    internal string? JournalPath => _options.DataFolder is { } folder ? Path.Combine(folder, VotingJournal.FileName) : null;

    /// <summary>Validates and adds one sample; scores, persists and queues its group when the sample completes it.</summary>
    /// <returns>Whether the sample completed a group (which is then on disk, when a data folder is set).</returns>
    public async ValueTask<bool> SubmitAsync(Sample sample, string peer)
    {
        Sample[]? complete;
        try
        {
            SampleValidator.Validate(sample, _options);
            complete = _assembler.Add(sample, sample.CalculateSize(), CanOpenGroup);
        }
        catch (RpcException ex)
        {
            Rejected(ex, peer);
            throw;
        }
        _stats.SampleAccepted();
        if (complete is null)
        {
            return false;
        }
        var (group, vote) = Scorer.Score(complete);
        if (_journal is not null)
        {
            try
            {
                await _journal.AppendAsync(new VotingLogRecord { Scored = group });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                _assembler.Forget(group.GroupId);
                VotingLog.PersistFailed(_logger, group.GroupId, ex.Message);
                throw new RpcException(new Status(StatusCode.Unavailable, $"group {group.GroupId}#{group.Attempt} could not be persisted; retry it"));
            }
        }
        Delivery.Enqueue(group, group.CalculateSize());
        _stats.GroupScored(vote);
        var majority = group.Metrics.MajorityAnswer;
        VotingLog.GroupScored(_logger, new GroupAttempt(group.GroupId, group.Attempt), majority.Length <= 80 ? majority : majority[..80] + "…",
            vote.MajorityRatio, _options.Mode);
        return true;
    }

    /// <summary>Counts and logs a sample refused by the parser, the validator or the assembler.</summary>
    public void Rejected(RpcException ex, string peer)
    {
        if (ex.StatusCode == StatusCode.ResourceExhausted)
        {
            _stats.SampleBackPressured();
            VotingLog.BackPressure(_logger, peer, ex.Status.Detail);
            return;
        }
        _stats.SampleRejected(ex switch
        {
            MalformedRequestException => "malformed",
            { StatusCode: StatusCode.AlreadyExists } => "already_scored",
            _ => "invalid",
        });
        VotingLog.SampleRejected(_logger, peer, ex.Status.Detail);
    }

    /// <summary>Retires held groups and records that in the log; returns how many were held.</summary>
    public async Task<int> AcknowledgeAsync(string consumer, IEnumerable<GroupAttempt> keys)
    {
        var acknowledged = Delivery.Acknowledge(consumer, keys);
        _stats.GroupsAcknowledged(acknowledged.Count);
        if (_journal is not null && acknowledged.Count > 0)
        {
            await Task.WhenAll(acknowledged.Select(k => _journal.AppendAsync(new VotingLogRecord
            {
                Acknowledged = new GroupKey { GroupId = k.GroupId, Attempt = k.Attempt },
            })));
        }
        return acknowledged.Count;
    }

    /// <summary>Drops incomplete groups older than the timeout (counted and logged, never scored) and expires leases.</summary>
    public int ExpireStale()
    {
        var expired = _assembler.Expire();
        foreach (var g in expired)
        {
            _stats.GroupExpired();
            VotingLog.GroupExpired(_logger, g.Key, g.Received, g.Size, _options.GroupTimeout);
        }
        if (Delivery.ExpireLeases() is var leases and > 0)
        {
            VotingLog.LeasesExpired(_logger, leases);
        }
        return expired.Count;
    }

    public VotingStatus Status(ProcessInfo process)
    {
        var (ready, leased, heldBytes, subscribers, leasesExpired) = Delivery.Counts();
        var (pending, pendingBytes) = _assembler.Pending();
        var recent = _stats.Recent();
        return new VotingStatus
        {
            Process = process,
            GroupsPending = (uint)pending,
            GroupsReady = (uint)ready,
            GroupsUnacknowledged = (uint)leased,
            GroupsScored = (ulong)_stats.Scored,
            GroupsExpired = (ulong)_stats.Expired,
            SamplesRejected = (ulong)_stats.Rejected,
            SamplesPerSecond = _stats.SamplesPerSecond(),
            Mode = VoteModeContract.ToProto(Scorer.Options.Mode),
            RecentMajorityRatio = recent.MeanMajorityRatio,
            RecentTopAnswerShare = recent.TopAnswerShare,
            RecentTopAnswerKey = recent.TopAnswer ?? "",
            Subscribers = (uint)subscribers,
            PendingBytes = (ulong)pendingBytes,
            HeldBytes = (ulong)heldBytes,
            LeasesExpired = (ulong)leasesExpired,
            GroupsRecovered = (ulong)_stats.Recovered,
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_journal is not null)
        {
            await _journal.DisposeAsync();
        }
    }

    private string? CanOpenGroup()
    {
        var (groups, bytes) = Delivery.Held();
        if (groups >= _options.MaxReadyGroups)
        {
            return $"{groups} scored groups are waiting for acknowledgement (MaxReadyGroups); retry later";
        }
        return bytes >= _options.MaxHeldBytes
            ? $"scored groups waiting for acknowledgement hold {bytes} bytes (MaxHeldBytes {_options.MaxHeldBytes}); retry later"
            : null;
    }
}
