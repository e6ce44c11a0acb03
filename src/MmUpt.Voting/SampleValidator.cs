using System.Text;
using Grpc.Core;
using Google.Protobuf.Collections;
using MmUpt.Contracts.V1;

namespace MmUpt.Voting;

/// <summary>
/// Checks of one sample against the contract (common.proto's <c>Sample</c>); each failure is an INVALID_ARGUMENT naming
/// the group, the sample and the field. Strings are valid UTF-8 by the time they get here (the request parser,
/// <see cref="LenientMarshaller"/>, refuses the rest with the same kind of message).
/// </summary>
public static class SampleValidator
{
    /// <summary>Longest group_id, prompt_id or producer_id, in UTF-8 bytes.</summary>
    public const int MaxIdBytes = 256;

    /// <summary>Throws <see cref="RpcException"/> (INVALID_ARGUMENT) when the sample cannot be part of any group.</summary>
    public static void Validate(Sample sample, VotingOptions options)
    {
        var where = Where(sample);
        if (string.IsNullOrEmpty(sample.GroupId))
        {
            throw Invalid($"sample[{sample.Index}]: group_id is required");
        }
        CheckBytes(where, "group_id", sample.GroupId, MaxIdBytes, "");
        CheckBytes(where, "producer_id", sample.ProducerId, MaxIdBytes, "");
        if (sample.GroupSize < 1 || sample.GroupSize > options.MaxGroupSize)
        {
            throw Invalid($"{where}: group_size {sample.GroupSize} is outside [1, {options.MaxGroupSize}] (MaxGroupSize)");
        }
        if (sample.Index >= sample.GroupSize)
        {
            throw Invalid($"{where}: index {sample.Index} is out of range for group_size {sample.GroupSize}");
        }
        var size = sample.CalculateSize();
        if (size > options.MaxSampleBytes)
        {
            throw Invalid($"{where}: the sample has {size} bytes, more than the {options.MaxSampleBytes} allowed (MaxSampleBytes)");
        }
        // A model may answer with nothing but its end-of-sequence token (empty text, one token): that is a response and
        // votes as "no answer". A sample with neither text nor tokens carries no response at all.
        if (sample.ResponseText.Length == 0 && sample.ResponseTokenIds.Count == 0)
        {
            throw Invalid($"{where}: response_text and response_token_ids are both empty");
        }
        CheckBytes(where, "response_text", sample.ResponseText, options.MaxResponseBytes, " (MaxResponseBytes)");
        if (sample.Prompt is { } prompt)
        {
            CheckBytes(where, "prompt.prompt_id", prompt.PromptId, MaxIdBytes, "");
            CheckBytes(where, "prompt.text", prompt.Text, options.MaxPromptBytes, " (MaxPromptBytes)");
            CheckBytes(where, "prompt.reference_answer", prompt.ReferenceAnswer, options.MaxPromptBytes, " (MaxPromptBytes)");
        }
        CheckTokens(where, "prompt_token_ids", sample.PromptTokenIds, options);
        CheckTokens(where, "response_token_ids", sample.ResponseTokenIds, options);
        if (sample.Sampling is { } sampling)
        {
            CheckTokens(where, "sampling.banned_token_ids", sampling.BannedTokenIds, options);
        }
        CheckLogprobs(where, sample);
        if (sample.FinishReason == FinishReason.Aborted)
        {
            throw Invalid($"{where}: finish_reason is ABORTED; aborted samples are never scored (retry the group as a new attempt)");
        }
    }

    public static string Where(Sample sample) => $"sample {sample.GroupId}#{sample.Attempt}[{sample.Index}]";

    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static void CheckBytes(string where, string field, string value, int max, string option)
    {
        // UTF-8 takes at most 3 bytes per UTF-16 unit, so short strings need no count.
        if (value.Length * 3 > max && Encoding.UTF8.GetByteCount(value) is var bytes && bytes > max)
        {
            throw Invalid($"{where}: {field} has {bytes} bytes, more than the {max} allowed{option}");
        }
    }

    private static void CheckTokens(string where, string field, RepeatedField<int> ids, VotingOptions options)
    {
        if (ids.Count > options.MaxTokens)
        {
            throw Invalid($"{where}: {field} has {ids.Count} ids, more than the {options.MaxTokens} allowed (MaxTokens)");
        }
        var limit = options.VocabSize ?? int.MaxValue;
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] < 0 || ids[i] >= limit)
            {
                var range = options.VocabSize is { } v ? $"[0, {v}) (VocabSize)" : "[0, 2^31) (non-negative)";
                throw Invalid($"{where}: {field}[{i}] = {ids[i]} is outside {range}");
            }
        }
    }

    private static void CheckLogprobs(string where, Sample sample)
    {
        var logprobs = sample.BehaviourLogprobs;
        if (logprobs.Count != sample.ResponseTokenIds.Count)
        {
            throw Invalid($"{where}: behaviour_logprobs has {logprobs.Count} values for {sample.ResponseTokenIds.Count} response_token_ids; exactly one per token is required");
        }
        for (var i = 0; i < logprobs.Count; i++)
        {
            var p = logprobs[i];
            if (!float.IsFinite(p) || p > 0)
            {
                throw Invalid($"{where}: behaviour_logprobs[{i}] = {p.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a log-probability (finite and <= 0)");
            }
        }
    }
}
