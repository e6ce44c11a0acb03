namespace MmUpt.Data;

/// <summary>What a <see cref="DatasetStream"/> does with a row it cannot use.</summary>
public enum MalformedRowPolicy
{
    /// <summary>Report it (file and row) on <see cref="DatasetStream.Problems"/>, count it, and go on.</summary>
    Skip,

    /// <summary>Throw <see cref="DatasetFormatException"/> naming the file and row.</summary>
    Fail,
}
