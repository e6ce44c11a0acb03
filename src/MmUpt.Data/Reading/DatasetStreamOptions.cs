using System.ComponentModel.DataAnnotations;

namespace MmUpt.Data;

/// <summary>How a <see cref="DatasetStream"/> orders and filters rows.</summary>
public sealed class DatasetStreamOptions
{
    /// <summary>Seed of the per-epoch order (default 1, as the original dataloader). Ignored on resume: the cursor's wins.</summary>
    public long Seed { get; set; } = 1;

    /// <summary>Shuffle each epoch anew (default true); false reads in file order.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Skip (default) or fail on malformed rows.</summary>
    public MalformedRowPolicy Malformed { get; set; } = MalformedRowPolicy.Skip;

    /// <summary>Stop after this many epochs (default 1); null reads forever (training).</summary>
    [Range(1, int.MaxValue)]
    public int? Epochs { get; set; } = 1;

    /// <summary>How many malformed-row reports <see cref="DatasetStream.Problems"/> keeps (default 100); the count is kept whole.</summary>
    [Range(0, int.MaxValue)]
    public int MaxReportedProblems { get; set; } = 100;
}
