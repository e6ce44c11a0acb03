using Grpc.Core;
using MmUpt.Contracts.V1;

namespace MmUpt.Voting;

/// <summary>Checks of one sample on its own; each failure is an INVALID_ARGUMENT naming the sample and the field.</summary>
public static class SampleValidator
{
    public const int MaxGroupIdLength = 256;

    /// <summary>Throws <see cref="RpcException"/> (INVALID_ARGUMENT) when the sample cannot be part of any group.</summary>
    public static void Validate(Sample sample, VotingOptions options)
    {
        var where = $"sample {sample.GroupId}#{sample.Attempt}[{sample.Index}]";
        if (string.IsNullOrEmpty(sample.GroupId))
        {
            throw Invalid($"sample[{sample.Index}]: group_id is required");
        }
        if (sample.GroupId.Length > MaxGroupIdLength)
        {
            throw Invalid($"sample[{sample.Index}]: group_id is longer than {MaxGroupIdLength} characters");
        }
        if (sample.GroupSize < 1 || sample.GroupSize > options.MaxGroupSize)
        {
            throw Invalid($"{where}: group_size {sample.GroupSize} is outside [1, {options.MaxGroupSize}]");
        }
        if (sample.Index >= sample.GroupSize)
        {
            throw Invalid($"{where}: index {sample.Index} is out of range for group_size {sample.GroupSize}");
        }
        // A model may answer with nothing but its end-of-sequence token (empty text, one token): that is a response and
        // votes as "no answer". A sample with neither text nor tokens carries no response at all.
        if (sample.ResponseText.Length == 0 && sample.ResponseTokenIds.Count == 0)
        {
            throw Invalid($"{where}: response_text and response_token_ids are both empty");
        }
        if (sample.ResponseText.Length > options.MaxResponseChars)
        {
            throw Invalid($"{where}: response_text has {sample.ResponseText.Length} characters, more than the {options.MaxResponseChars} allowed");
        }
        if (sample.FinishReason == FinishReason.Aborted)
        {
            throw Invalid($"{where}: finish_reason is ABORTED; aborted samples are never scored (retry the group as a new attempt)");
        }
    }

    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
