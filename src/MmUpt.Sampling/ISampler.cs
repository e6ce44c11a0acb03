using MmUpt.Data;
namespace MmUpt.Sampling;

/// <summary>
/// The engine seam of <c>mmupt eval</c> and <c>mmupt synth</c>: draws <c>n</c> independent responses to one prompt.
/// Implemented in-process over ORT GenAI (the exported model folder) and, later, by a client of a remote rollout worker
/// (<c>RolloutService.Generate</c>), so that the evaluation and self-generation code never knows which one it has.
/// </summary>
/// <remarks>
/// Contract for implementations:
/// <list type="bullet">
/// <item>The result has exactly <c>n</c> items, in sample-index order (index matters: the faithful vote breaks ties by
/// first-seen). Items are complete responses; a cancelled call throws <see cref="OperationCanceledException"/> and
/// returns nothing partial.</item>
/// <item><see cref="PromptSpec.Text"/> is already chat-templated; the sampler tokenizes it as is (no second template),
/// expands each <c>&lt;|image_pad|&gt;</c> for its image, and decodes with special tokens skipped. (MM-UPT also bans the
/// image-placeholder token from the output with a logit bias; ORT GenAI 0.18 has no logit bias, so the in-process
/// engine cannot yet — special tokens never reach the text, but they can be sampled.)</item>
/// <item>The reference answer of the prompt is never given to the model.</item>
/// <item>Determinism: see <see cref="SamplingSettings.Seed"/>. How the n samples are batched is the engine's business.</item>
/// <item>Engine failures throw (an ORT error, an unreachable worker after its retries); they are not encoded as
/// empty texts. Safe to call concurrently only if the implementation says so.</item>
/// </list>
/// </remarks>
public interface ISampler
{
    /// <summary>A short description for reports, e.g. <c>ort-genai:runs/demo/onnx</c> or <c>rollout:http://10.0.0.5:50051</c>.</summary>
    string Name { get; }

    Task<IReadOnlyList<SampledText>> SampleAsync(PromptSpec prompt, int n, SamplingSettings settings, CancellationToken cancellationToken = default);
}
