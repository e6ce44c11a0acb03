using System.ComponentModel.DataAnnotations;

namespace MmUpt.Weights;

/// <summary>How <see cref="WeightsDownloader"/> fetches versions. Validated when the downloader is made.</summary>
public sealed class WeightsDownloaderOptions
{
    /// <summary>Bytes per chunk asked of the server; default 1 MiB (the server caps at 4 MiB − 1 KiB).</summary>
    [Range(4096, WeightsGrpcService.MaxChunkBytes)]
    public int ChunkBytes { get; set; } = 1 << 20;

    /// <summary>
    /// Retries of a call that failed in transit (UNAVAILABLE, INTERNAL, UNKNOWN, ABORTED, DEADLINE_EXCEEDED,
    /// RESOURCE_EXHAUSTED, or a reset stream); a download resumes from the bytes it already has. Default 5.
    /// </summary>
    [Range(0, 100)]
    public int TransientRetries { get; set; } = 5;

    /// <summary>First delay between transient retries, doubled each time with jitter; default 200 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Times a file that fails its size or SHA-256 check is fetched again from the start before the
    /// <see cref="WeightsIntegrityException"/> is thrown; default 1 (a corruption in transit heals, a corrupt source does not).
    /// </summary>
    [Range(0, 10)]
    public int IntegrityRetries { get; set; } = 1;
}
