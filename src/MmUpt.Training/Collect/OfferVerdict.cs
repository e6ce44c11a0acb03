namespace MmUpt.Training.Collect;

/// <summary>What the collector did with one scored group offered by the voting service.</summary>
public enum OfferVerdict
{
    /// <summary>The first complete attempt of an open group with fresh samples: it will be trained on.</summary>
    Accepted,

    /// <summary>Another attempt of a group already accepted (a retry or hedge that also finished), or a redelivery: dropped.</summary>
    Duplicate,

    /// <summary>A group or attempt this run never issued (e.g. left in the voting log by an earlier run): dropped.</summary>
    Unknown,

    /// <summary>
    /// Samples older than the staleness bound allows: dropped and counted; the group is dispatched again under a new
    /// group id (the voting service scores a group id once).
    /// </summary>
    Stale,

    /// <summary>A late attempt of a group that was re-issued under a new id after a stale attempt: dropped.</summary>
    Replaced,
}
