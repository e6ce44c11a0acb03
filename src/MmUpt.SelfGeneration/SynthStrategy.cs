namespace MmUpt.SelfGeneration;

/// <summary>The paper's two self-generation strategies (§3.3 of arXiv 2505.22453).</summary>
public enum SynthStrategy
{
    /// <summary>Given image, question and answer, write a different question about the same image.</summary>
    InContext,

    /// <summary>Given only the image, write a question.</summary>
    Direct,
}
