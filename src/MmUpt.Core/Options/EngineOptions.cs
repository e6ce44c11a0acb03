namespace MmUpt.Core.Options;

/// <summary>The part every engine role's options share (rollout worker, learner): the device it runs on.</summary>
public abstract class EngineOptions
{
    /// <summary>Engine device: <c>cpu</c> (default) or <c>cuda:N</c> in a CUDA build.</summary>
    [Device]
    public string Device { get; set; } = "cpu";
}
