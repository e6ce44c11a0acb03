namespace MmUpt.Checkpoint;

/// <summary>A checkpoint file or folder does not have the expected format; the message names the file and field.</summary>
public sealed class CheckpointFormatException : Exception
{
    public CheckpointFormatException(string message) : base(message) { }

    public CheckpointFormatException(string message, Exception inner) : base(message, inner) { }
}
