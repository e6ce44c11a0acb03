namespace MmUpt.Data;

/// <summary>
/// The synthetic visual tasks of the demo. They are chosen so that a half-trained model's majority answer beats one
/// sample, which is what MM-UPT's self-reward needs: the answer is one short token from a small set, and a model that
/// has learned the skill partially errs in scattered ways (±1 in counting, one misread digit in a sum, a coin flip on a
/// close comparison) while the right answer stays the most frequent one. When the right answer's share p exceeds that
/// of every single wrong answer, the plurality is right more often than one sample (for binary answers: whenever
/// p &gt; 0.5 — the paper's §5.1 argument). Difficulty levels let the demo stay in that regime as the model improves.
/// </summary>
public enum SyntheticTaskKind
{
    /// <summary>How many shapes of a named colour are there? Answer: an integer.</summary>
    Count,

    /// <summary>What is the sum of the seven-segment digits shown? Answer: an integer.</summary>
    DigitSum,

    /// <summary>Which shape is bigger (by area), the left or the right one? Answer: <c>left</c> or <c>right</c>.</summary>
    Compare,
}
