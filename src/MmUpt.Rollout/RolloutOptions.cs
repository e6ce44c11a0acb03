using System.ComponentModel.DataAnnotations;
using MmUpt.Core.Options;

namespace MmUpt.Rollout;

/// <summary>The rollout worker. Section <c>Rollout</c>; flags <c>--device</c>, <c>--model</c>, <c>--voting</c>.</summary>
public sealed class RolloutOptions : EngineOptions, IValidatableObject
{
    public const string Section = "Rollout";

    /// <summary>The exported ORT GenAI model folder (<c>mmupt export</c>); empty serves status only (Generate is FAILED_PRECONDITION). Must exist when given.</summary>
    [ExistingDirectory]
    public string? Model { get; set; }

    /// <summary>Voting service the samples are streamed to; default <c>http://127.0.0.1:50052</c>.</summary>
    [HttpAddress]
    public string VotingAddress { get; set; } = "http://127.0.0.1:50052";

    /// <summary>
    /// ONNX Runtime intra-op threads of the model's decoder and vision sessions (the embedding's gets one); 0 (default) is
    /// ONNX Runtime's choice for all three (one per physical core as it counts them; one on a 2-vCPU VM). The generators
    /// running at once share these threads, so about cores / <see cref="MaxConcurrentGenerators"/> suits a dedicated
    /// machine; set 1 when replicas share a machine's cores (one per replica pinned to its own core).
    /// </summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Generators running at once (each on its own thread); default 2.</summary>
    [Range(1, 64)]
    public int MaxConcurrentGenerators { get; set; } = 2;

    /// <summary>Rows (samples of one or more groups) one generator holds; at most ORT GenAI's 32. Default 32.</summary>
    [Range(1, 32)]
    public int MaxRowsPerGenerator { get; set; } = 32;

    /// <summary>Requests waiting for a generator; one more is RESOURCE_EXHAUSTED. Default 256.</summary>
    [Range(0, 1_000_000)]
    public int MaxQueuedRequests { get; set; } = 256;

    /// <summary>max_new_tokens when a request leaves it 0. Default 256.</summary>
    [Range(1, 1_000_000)]
    public int DefaultMaxNewTokens { get; set; } = 256;

    /// <summary>Largest encoded image accepted, in bytes. Default 16 MiB.</summary>
    [Range(1, int.MaxValue)]
    public int MaxImageBytes { get; set; } = 16 << 20;

    /// <summary>Largest decoded image accepted, in pixels (width × height). Default 40 megapixels.</summary>
    [Range(1, int.MaxValue)]
    public int MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>How long a request waits for its min_weights_version before FAILED_PRECONDITION. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan WeightsWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Tries per sample when the voting service is unavailable or pushes back (then UNAVAILABLE). Default 5.</summary>
    [Range(1, 100)]
    public int VotingAttempts { get; set; } = 5;

    /// <summary>First retry delay towards the voting service; doubles per try, with jitter. Default 200 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan VotingRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Where weights versions are assembled for ORT GenAI (config files plus a fresh copy of the version's data files);
    /// empty (default) is a folder under the system temp folder, removed at exit. A tmpfs keeps the copy off the disk.
    /// </summary>
    public string? StagingFolder { get; set; }

    /// <summary>
    /// The only weights source <c>SyncWeights</c> may name (others are PERMISSION_DENIED): the learner's WeightsService
    /// address as this worker reaches it (<c>Train:WeightsSource</c>, e.g. <c>https://mmupt-learner:50053</c>) or the
    /// shared weights folder (the learner's <c>OUT/weights</c>). Default empty: any source is accepted, so whoever reaches
    /// the port can make the worker download and serve weights of their choosing — set it (with a token, TLS and a network
    /// policy) wherever the network is not yours alone.
    /// </summary>
    public string? WeightsSource { get; set; }

    /// <summary>
    /// Serve a new weights version with the model of a retired one, by writing the version into that model's own staged
    /// data files in place (default true; CPU only). A sync then costs one copy of the weights instead of a new ORT GenAI
    /// model (three ONNX Runtime sessions). The worker keeps one retired model as the spare for it: two models' memory at
    /// all times, as a swap that builds needs while it builds. Off, on a GPU (ONNX Runtime copies weights to the device),
    /// or for an export whose weights ONNX Runtime copies at load (bf16/fp16 weights, or vision weights that are
    /// constants: exported before they became graph inputs), every version is a new model.
    /// </summary>
    public bool ReuseModels { get; set; } = true;

    /// <summary>Results of finished requests kept for answering a repeated request_id. Default 4096.</summary>
    [Range(1, 1_000_000)]
    public int RememberedRequests { get; set; } = 4096;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Model) && !File.Exists(Path.Combine(Model, "genai_config.json")))
        {
            yield return new ValidationResult($"'{Model}' is not an exported model folder (no genai_config.json; run mmupt export)", [nameof(Model)]);
        }
    }
}
