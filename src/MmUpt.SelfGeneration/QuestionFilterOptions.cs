using System.ComponentModel.DataAnnotations;

namespace MmUpt.SelfGeneration;

/// <summary>Bounds of <see cref="QuestionFilter"/>.</summary>
public sealed class QuestionFilterOptions
{
    /// <summary>Shortest acceptable question in characters (default 8).</summary>
    [Range(1, 10_000)]
    public int MinChars { get; set; } = 8;

    /// <summary>Longest acceptable question in characters (default 400).</summary>
    [Range(1, 100_000)]
    public int MaxChars { get; set; } = 400;
}
