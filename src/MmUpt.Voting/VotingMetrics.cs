using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using Prometheus;

namespace MmUpt.Voting;

/// <summary>
/// <c>mmupt_voting_*</c>, read at scrape time from the hub's status (the same numbers GetStatus reports), its counters
/// and the size of its durable log. Counters are totals since start; gauges are the state at the scrape.
/// </summary>
internal sealed class VotingMetrics(VotingHub hub) : IRoleMetrics
{
    public static readonly string[] RejectReasons = ["malformed", "invalid", "already_scored"];

    public Action Register(IMetricFactory metrics)
    {
        var scored = metrics.CreateCounter("mmupt_voting_groups_scored_total", "Groups completed, voted and rewarded.");
        var delivered = metrics.CreateCounter("mmupt_voting_groups_delivered_total", "Scored groups sent to subscribers (redeliveries included).");
        var acknowledged = metrics.CreateCounter("mmupt_voting_groups_acknowledged_total", "Scored groups retired by a subscriber's acknowledgement.");
        var expired = metrics.CreateCounter("mmupt_voting_groups_expired_total", "Incomplete groups dropped after GroupTimeout (never scored).");
        var recovered = metrics.CreateCounter("mmupt_voting_groups_recovered_total", "Unacknowledged groups read back from the durable log at start.");
        var leasesExpired = metrics.CreateCounter("mmupt_voting_leases_expired_total", "Deliveries not acknowledged in time and queued again.");
        var accepted = metrics.CreateCounter("mmupt_voting_samples_accepted_total", "Samples accepted into a group.");
        var rejected = metrics.CreateCounter("mmupt_voting_samples_rejected_total",
            "Samples refused for good, by reason: malformed (unparseable), invalid (a field out of bounds, an expired group), already_scored.",
            ["reason"]);
        var backPressure = metrics.CreateCounter("mmupt_voting_samples_back_pressure_total", "Samples refused with RESOURCE_EXHAUSTED (the sender retries).");
        var pending = metrics.CreateGauge("mmupt_voting_groups_pending", "Incomplete groups being assembled.");
        var ready = metrics.CreateGauge("mmupt_voting_groups_ready", "Scored groups waiting for a subscriber.");
        var leased = metrics.CreateGauge("mmupt_voting_groups_leased", "Scored groups sent and not yet acknowledged.");
        var pendingBytes = metrics.CreateGauge("mmupt_voting_pending_bytes", "Bytes held by incomplete groups.");
        var heldBytes = metrics.CreateGauge("mmupt_voting_held_bytes", "Bytes held by scored, unacknowledged groups.");
        var subscribers = metrics.CreateGauge("mmupt_voting_subscribers", "Open Subscribe streams.");
        var journal = metrics.CreateGauge("mmupt_voting_journal_bytes", "Size of the durable log (voting.log); 0 without a data folder.");
        var majority = metrics.CreateGauge("mmupt_voting_recent_majority_ratio", "Mean majority ratio of the last 100 scored groups.");
        var topShare = metrics.CreateGauge("mmupt_voting_recent_top_answer_share",
            "Share of the most common majority answer across the last 100 scored groups (the collapse signal).");
        foreach (var reason in RejectReasons) rejected.WithLabels(reason);
        return () =>
        {
            var status = hub.Status(new ProcessInfo());
            var (delivers, acks) = hub.Delivery.Totals();
            scored.IncTo(status.GroupsScored);
            delivered.IncTo(delivers);
            acknowledged.IncTo(acks);
            expired.IncTo(status.GroupsExpired);
            recovered.IncTo(status.GroupsRecovered);
            leasesExpired.IncTo(status.LeasesExpired);
            accepted.IncTo(hub.Stats.Accepted);
            foreach (var (reason, count) in hub.Stats.RejectedByReason()) rejected.WithLabels(reason).IncTo(count);
            backPressure.IncTo(hub.Stats.BackPressure);
            pending.Set(status.GroupsPending);
            ready.Set(status.GroupsReady);
            leased.Set(status.GroupsUnacknowledged);
            pendingBytes.Set(status.PendingBytes);
            heldBytes.Set(status.HeldBytes);
            subscribers.Set(status.Subscribers);
            journal.Set(JournalBytes());
            majority.Set(status.RecentMajorityRatio);
            topShare.Set(status.RecentTopAnswerShare);
        };
    }

    // The file's size from the file system: the journal's writer thread owns its stream. Compaction replaces the file
    // by a rename, so it always exists once opened.
    private long JournalBytes()
    {
        if (hub.JournalPath is not { } path) return 0;
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
