using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Processing.Images;
using MmUpt.Rollout.Engine;
using MmUpt.Sampling;
using SkiaSharp;

namespace MmUpt.Rollout.Generation;

/// <summary>
/// Turns a <see cref="GenerateRequest"/> into a <see cref="GroupJob"/>, or fails with INVALID_ARGUMENT naming the field:
/// missing ids or prompt, G outside [1, 32], sampling fields out of range, unknown to this contract or contradicting
/// each other, images that are missing, too large or undecodable, placeholders that do not match the images, a prompt
/// holding the pad token, and prompts (text or image tokens) that leave no room in the context for max_new_tokens.
/// </summary>
public sealed class GenerateRequestReader(RolloutOptions options)
{
    public const int MaxGroupIdLength = 256;

    public GroupJob Read(GenerateRequest request, OrtGenAiEngine engine, CancellationToken cancellation)
    {
        if (string.IsNullOrEmpty(request.GroupId))
        {
            throw Invalid("group_id is required");
        }
        if (request.GroupId.Length > MaxGroupIdLength)
        {
            throw Invalid($"group_id is longer than {MaxGroupIdLength} characters");
        }
        if (request.GroupSize is < 1 or > OrtGenAiEngine.MaxRows)
        {
            throw Invalid($"group_size {request.GroupSize} is outside [1, {OrtGenAiEngine.MaxRows}]");
        }
        if (request.VotingAddress.Length > 0 && !IsHttpAddress(request.VotingAddress))
        {
            throw Invalid($"voting_address '{request.VotingAddress}' is not an http:// or https:// address");
        }
        if (request.Prompt is null || string.IsNullOrEmpty(request.Prompt.Text))
        {
            throw Invalid("prompt.text is required");
        }
        var (sampling, applied) = Sampling(request, engine.Info);
        var info = engine.Info;
        if (request.Prompt.Images.Count > info.ContextLength)
        {
            throw Invalid($"prompt.images: {request.Prompt.Images.Count} images cannot fit the context of {info.ContextLength} tokens");
        }
        var images = request.Prompt.Images.Select((image, i) => Process(image, i, engine.ImageProcessor)).ToList();
        PreparedPrompt prompt;
        try
        {
            prompt = engine.PrepareProcessed(request.Prompt.Text, images);
        }
        catch (ArgumentException ex)
        {
            throw Invalid($"prompt.text: {ex.Message}");
        }
        var room = info.ContextLength - sampling.Settings.MaxNewTokens;
        if (prompt.TokenIds.Length > room)
        {
            var imageTokens = images.Sum(i => i.TokenCount(engine.ImageProcessor.Config.MergeSize));
            var field = imageTokens > 0 && prompt.TokenIds.Length - imageTokens <= room ? "prompt.images" : "prompt.text";
            throw Invalid($"{field}: the prompt is {prompt.TokenIds.Length} tokens ({imageTokens} of them image tokens); with max_new_tokens " +
                          $"{sampling.Settings.MaxNewTokens} it exceeds the context of {info.ContextLength}");
        }
        return new GroupJob(request, prompt, sampling, applied, cancellation);
    }

    private (GroupSampling, SamplingParams) Sampling(GenerateRequest request, GenAiModelInfo info)
    {
        var p = request.Sampling ?? new SamplingParams();
        // Fields this contract does not know arrive as unknown fields; a JSON round trip drops them, so sizes differ.
        if (JsonParser.Default.Parse<SamplingParams>(JsonFormatter.Default.Format(p)).CalculateSize() != p.CalculateSize())
        {
            throw Invalid("sampling: has fields this worker does not know (a newer contract?)");
        }
        if (!float.IsFinite(p.Temperature) || p.Temperature < 0 || p.Temperature > 100)
        {
            throw Invalid($"sampling.temperature {p.Temperature} is outside [0, 100] (0 = default 0.7)");
        }
        if (p.Temperature is > 0 and < 1e-4f)
        {
            throw Invalid($"sampling.temperature {p.Temperature} is below 1e-4; use top_k = 1 for greedy decoding");
        }
        if (!float.IsFinite(p.TopP) || p.TopP < 0 || p.TopP > 1)
        {
            throw Invalid($"sampling.top_p {p.TopP} is outside (0, 1] (0 = default 1.0)");
        }
        if (p.TopK < 0 || p.TopK > info.VocabSize)
        {
            throw Invalid($"sampling.top_k {p.TopK} is outside [0, {info.VocabSize}] (the vocabulary)");
        }
        if (p.MaxNewTokens < 0 || p.MaxNewTokens > info.ContextLength)
        {
            throw Invalid($"sampling.max_new_tokens {p.MaxNewTokens} is outside [0, {info.ContextLength}] (the context length)");
        }
        CheckIds(p.BannedTokenIds, "sampling.banned_token_ids", info.VocabSize);
        CheckIds(p.StopTokenIds, "sampling.stop_token_ids", info.VocabSize);
        foreach (var both in p.StopTokenIds.Intersect(p.BannedTokenIds))
        {
            throw Invalid($"sampling: token {both} is both in stop_token_ids and banned_token_ids");
        }
        if (p.BannedTokenIds.Distinct().Count() >= info.VocabSize)
        {
            throw Invalid("sampling.banned_token_ids bans the whole vocabulary");
        }
        var settings = new SamplingSettings
        {
            Temperature = p.Temperature == 0 ? 0.7f : p.Temperature,
            TopP = p.TopP == 0 ? 1f : p.TopP,
            TopK = p.TopK,
            MaxNewTokens = p.MaxNewTokens == 0 ? options.DefaultMaxNewTokens : p.MaxNewTokens,
            Seed = p.Seed == 0 ? DerivedSeed(request.GroupId, request.Attempt) : p.Seed,
        };
        if (settings.MaxNewTokens > info.ContextLength)
        {
            throw Invalid($"sampling.max_new_tokens: the default {settings.MaxNewTokens} exceeds the context length {info.ContextLength}; set it");
        }
        var applied = p.Clone();
        applied.Temperature = settings.Temperature;
        applied.TopP = settings.TopP;
        applied.MaxNewTokens = settings.MaxNewTokens;
        applied.Seed = settings.Seed;
        var stop = info.EosTokenIds.Concat(p.StopTokenIds).ToHashSet();
        return (new GroupSampling(settings, GroupSampling.Mask(p.BannedTokenIds, info.VocabSize), stop), applied);
    }

    private ProcessedImage Process(Image image, int index, QwenImageProcessor processor)
    {
        var field = $"prompt.images[{index}]";
        byte[] bytes;
        switch (image.SourceCase)
        {
            case Image.SourceOneofCase.Content:
                bytes = image.Content.ToByteArray();
                break;
            case Image.SourceOneofCase.Uri:
                var path = image.Uri.StartsWith("file://", StringComparison.Ordinal) ? new Uri(image.Uri).LocalPath : image.Uri;
                if (!File.Exists(path))
                {
                    throw Invalid($"{field}.uri: no file at '{image.Uri}'");
                }
                if (new FileInfo(path).Length > options.MaxImageBytes)
                {
                    throw Invalid($"{field}.uri: the file is larger than {options.MaxImageBytes} bytes (Rollout:MaxImageBytes)");
                }
                bytes = File.ReadAllBytes(path);
                break;
            default:
                throw Invalid($"{field}: neither content nor uri is set");
        }
        if (bytes.Length > options.MaxImageBytes)
        {
            throw Invalid($"{field}: {bytes.Length} bytes, more than {options.MaxImageBytes} (Rollout:MaxImageBytes)");
        }
        using (var codec = SKCodec.Create(new SKMemoryStream(bytes)))
        {
            if (codec is null)
            {
                throw Invalid($"{field}: not a decodable PNG or JPEG");
            }
            if ((long)codec.Info.Width * codec.Info.Height > options.MaxImagePixels)
            {
                throw Invalid($"{field}: {codec.Info.Width}×{codec.Info.Height} pixels, more than {options.MaxImagePixels} (Rollout:MaxImagePixels)");
            }
        }
        try
        {
            return processor.Process(bytes);
        }
        catch (ArgumentException ex)
        {
            throw Invalid($"{field}: {ex.Message}");
        }
    }

    private static void CheckIds(IEnumerable<int> ids, string field, int vocab)
    {
        foreach (var id in ids)
        {
            if (id < 0 || id >= vocab)
            {
                throw Invalid($"{field}: id {id} is outside the vocabulary [0, {vocab})");
            }
        }
    }

    /// <summary>The seed of a request that leaves it 0: the first 8 bytes of SHA-256("{group_id}#{attempt}"), so a retry samples anew.</summary>
    public static ulong DerivedSeed(string groupId, uint attempt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{groupId}#{attempt}"));
        return Math.Max(1, BinaryPrimitives.ReadUInt64LittleEndian(hash));
    }

    private static bool IsHttpAddress(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
