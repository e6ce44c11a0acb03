namespace MmUpt.Data;

/// <summary>
/// One rendered task. <see cref="Key"/> names its generation parameters without the layout (e.g. the digit sequence, or
/// the colours and kinds of the shapes): splits are assigned by key, so no parameter set appears in two splits.
/// </summary>
public sealed record SyntheticTask(SyntheticTaskKind Kind, int Level, string Problem, string Answer, byte[] Png,
    int Width, int Height, string Key);
