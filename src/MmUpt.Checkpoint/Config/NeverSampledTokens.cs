namespace MmUpt.Checkpoint;

/// <summary>
/// The token ids a policy must never emit: the image and video placeholders and the vision delimiters. Their positions
/// are laid out by the processor (one placeholder per merged patch, mRoPE ids from the image grid); a sampled
/// <c>&lt;|image_pad|&gt;</c> would break the learner's position ids. The one definition: the exported decoder masks these
/// logit columns with −inf, and the learner applies the same mask before its log-softmax, so behaviour and learner
/// log-probs stay equal.
/// </summary>
public static class NeverSampledTokens
{
    /// <summary>The ids from <paramref name="config"/>, sorted and distinct.</summary>
    public static int[] Ids(Qwen25VLConfig config) =>
        new[] { config.ImageTokenId, config.VideoTokenId, config.VisionStartTokenId, config.VisionEndTokenId }
            .Distinct().Order().ToArray();
}
