using System.ComponentModel.DataAnnotations;
using MmUpt.Core.Options;

namespace MmUpt.Rollout;

/// <summary>The rollout worker. Section <c>Rollout</c>; flags <c>--device</c>, <c>--model</c>, <c>--voting</c>.</summary>
public sealed class RolloutOptions
{
    public const string Section = "Rollout";

    /// <summary>Engine device: <c>cpu</c> (default) or <c>cuda:N</c> in a CUDA build.</summary>
    [Device]
    public string Device { get; set; } = "cpu";

    /// <summary>The exported ORT GenAI model folder (<c>mmupt export</c>); empty serves status only.</summary>
    public string? Model { get; set; }

    /// <summary>Voting service the samples are streamed to; default <c>http://127.0.0.1:50052</c>.</summary>
    [HttpAddress]
    public string VotingAddress { get; set; } = "http://127.0.0.1:50052";

    /// <summary>Requests queued beyond the ones generating before Generate answers RESOURCE_EXHAUSTED; default 64.</summary>
    [Range(1, 4096)]
    public int MaxQueuedRequests { get; set; } = 64;
}
