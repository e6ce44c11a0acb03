using MmUpt.Core.Options;

namespace MmUpt.Rollout;

/// <summary>The rollout worker. Section <c>Rollout</c>; flags <c>--device</c>, <c>--model</c>, <c>--voting</c>.</summary>
public sealed class RolloutOptions : EngineOptions
{
    public const string Section = "Rollout";

    /// <summary>The exported ORT GenAI model folder (<c>mmupt export</c>); empty serves status only. Must exist when given.</summary>
    [ExistingDirectory]
    public string? Model { get; set; }

    /// <summary>Voting service the samples are streamed to; default <c>http://127.0.0.1:50052</c>.</summary>
    [HttpAddress]
    public string VotingAddress { get; set; } = "http://127.0.0.1:50052";
}
