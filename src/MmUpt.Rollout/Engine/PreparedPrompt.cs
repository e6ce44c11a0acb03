using MmUpt.Processing.Images;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// A prompt ready for the decoder: token ids with every image placeholder expanded to its image's token count, and the
/// preprocessed images in placeholder order. The learner scores exactly these ids and pixel values.
/// </summary>
public sealed record PreparedPrompt(int[] TokenIds, IReadOnlyList<ProcessedImage> Images);
