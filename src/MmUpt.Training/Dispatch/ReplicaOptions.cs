using System.ComponentModel.DataAnnotations;

namespace MmUpt.Training.Dispatch;

/// <summary>
/// The rollout replicas (section <c>Train:Replicas</c>): where they are, and how calls to them are bounded, retried,
/// hedged and broken. Give <see cref="Addresses"/>, <see cref="Dns"/>, or both.
/// </summary>
public sealed class ReplicaOptions : IValidatableObject
{
    /// <summary>Replica addresses, e.g. <c>http://127.0.0.1:50051</c>; default none.</summary>
    public List<string> Addresses { get; set; } = [];

    /// <summary>
    /// A DNS name and port (<c>rollout.mmupt.svc:50051</c>, a Kubernetes headless Service) resolved every
    /// <see cref="ResolveInterval"/>: each address it returns is a replica, so replicas join and leave; default none.
    /// </summary>
    public string Dns { get; set; } = "";

    /// <summary>
    /// A file of replica addresses, one a line (blank lines and <c>#</c> comments skipped), re-read every
    /// <see cref="ResolveInterval"/> like <see cref="Dns"/>: membership on one machine, where DNS is not yours to change
    /// (scripts/run-local.sh scale). Replace it atomically (write a temp file, rename it). Default none.
    /// </summary>
    public string File { get; set; } = "";

    /// <summary>How often <see cref="Dns"/> is re-resolved and <see cref="File"/> re-read; default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ResolveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of one Generate call (one attempt of one group); default 5 min (a CPU group of long responses).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CallDeadline { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts per group, each on another replica when one is free, each with a new attempt number; default 4.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Pause before a retry (and while no replica is ready); default 200 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Start a second attempt on another replica when the first has not answered after this; default 0 = no hedging.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan HedgeAfter { get; set; } = TimeSpan.Zero;

    /// <summary>Circuit breaker: consecutive-window failure ratio that opens a replica's circuit; default 0.5.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Circuit breaker: calls in the window before it may open (at least 2); default 2.</summary>
    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 2;

    /// <summary>Circuit breaker: how long an open circuit stays open before one probe call (the weights sync); default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Addresses.Count == 0 && string.IsNullOrWhiteSpace(Dns) && string.IsNullOrWhiteSpace(File))
            yield return new ValidationResult("give rollout replicas as Addresses (http://host:port, ...), a Dns name host:port or a File of addresses", [nameof(Addresses)]);
        if (!string.IsNullOrWhiteSpace(File) && !System.IO.File.Exists(File))
            yield return new ValidationResult($"file not found: {Path.GetFullPath(File)}", [nameof(File)]);
        foreach (var (a, i) in Addresses.Select((a, i) => (a, i)))
        {
            if (!Uri.TryCreate(a, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https") || u.Port <= 0)
                yield return new ValidationResult($"'{a}' is not an address like http://127.0.0.1:50051", [$"{nameof(Addresses)}:{i}"]);
        }
        if (!string.IsNullOrWhiteSpace(Dns) && !DnsTarget.TryParse(Dns, out _))
            yield return new ValidationResult($"'{Dns}' is not host:port (or https://host:port for replicas serving TLS)", [nameof(Dns)]);
    }
}
