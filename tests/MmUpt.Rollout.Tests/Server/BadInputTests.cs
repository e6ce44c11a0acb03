using Google.Protobuf;
using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Rollout.Tests.Engine;
using SkiaSharp;

namespace MmUpt.Rollout.Tests.Server;

/// <summary>Every malformed request is INVALID_ARGUMENT naming the field, and the worker keeps serving.</summary>
public sealed class BadInputTests(ServedModels models, TinyExport tiny) : IClassFixture<ServedModels>, IClassFixture<TinyExport>, IAsyncLifetime
{
    private Servers _servers = null!;

    public async Task InitializeAsync() =>
        _servers = await Servers.StartAsync(models.Folder, o => (o.MaxImageBytes, o.MaxImagePixels) = (200_000, 1_000_000));

    public async Task DisposeAsync() => await _servers.DisposeAsync();

    public static TheoryData<string, string> Cases => new()
    {
        { "no-group-id", "group_id" },
        { "g0", "group_size" },
        { "g33", "group_size" },
        { "no-text", "prompt.text" },
        { "temperature", "sampling.temperature" },
        { "top-p", "sampling.top_p" },
        { "top-k", "sampling.top_k" },
        { "max-new", "sampling.max_new_tokens" },
        { "banned-range", "sampling.banned_token_ids" },
        { "stop-and-banned", "stop_token_ids and banned_token_ids" },
        { "unknown-field", "sampling: has fields" },
        { "placeholder-without-image", "prompt.text" },
        { "image-without-placeholder", "prompt.text" },
        { "undecodable-image", "prompt.images[0]" },
        { "oversized-image", "prompt.images[0]" },
        { "too-many-pixels", "prompt.images[0]" },
        { "no-image-source", "prompt.images[0]" },
        { "image-tokens-over-context", "prompt.images" },
        { "prompt-over-context", "prompt.text" },
        { "voting-address", "voting_address" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_INVALID_ARGUMENT_naming_the_field(string kind, string field)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _servers.Rollout.GenerateAsync(Build(kind)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(field, ex.Status.Detail);
        Assert.Equal(1u, (await _servers.Rollout.GenerateAsync(Requests.Text("ok-" + kind, g: 1, maxNew: 2))).SamplesDelivered);
    }

    private GenerateRequest Build(string kind)
    {
        var r = Requests.Text("bad-" + kind, g: 2, maxNew: 4);
        switch (kind)
        {
            case "no-group-id": r.GroupId = ""; break;
            case "g0": r.GroupSize = 0; break;
            case "g33": r.GroupSize = 33; break;
            case "no-text": r.Prompt.Text = ""; break;
            case "temperature": r.Sampling.Temperature = -1; break;
            case "top-p": r.Sampling.TopP = 1.5f; break;
            case "top-k": r.Sampling.TopK = -3; break;
            case "max-new": r.Sampling.MaxNewTokens = ServedModels.ContextLength + 1; break;
            case "banned-range": r.Sampling.BannedTokenIds.Add(1_000_000); break;
            case "stop-and-banned":
                r.Sampling.BannedTokenIds.Add(40);
                r.Sampling.StopTokenIds.Add(40);
                break;
            case "unknown-field":
                // Field 99 with varint 1: what a newer contract's sampling option looks like to this worker.
                r.Sampling = SamplingParams.Parser.ParseFrom([.. r.Sampling.ToByteArray(), 0x98, 0x06, 0x01]);
                break;
            case "placeholder-without-image": r.Prompt.Text = TinyExport.Prompt("what?", images: 1); break;
            case "image-without-placeholder": r.Prompt.Images.Add(new Image { Content = ByteString.CopyFrom(tiny.Image) }); break;
            case "undecodable-image": return Requests.WithImages(r.GroupId, [1, 2, 3, 4]);
            case "oversized-image": return Requests.WithImages(r.GroupId, new byte[300_000]);
            case "too-many-pixels": return Requests.WithImages(r.GroupId, Png(1200, 900));
            case "no-image-source":
                r = Requests.WithImages(r.GroupId, tiny.Image);
                r.Prompt.Images[0] = new Image();
                return r;
            case "image-tokens-over-context": return Requests.WithImages(r.GroupId, Png(560, 560));
            case "prompt-over-context": r.Prompt.Text = TinyExport.Prompt(string.Concat(Enumerable.Repeat("count the red squares ", 40))); break;
            case "voting-address": r.VotingAddress = "not a url"; break;
        }
        return r;
    }

    private static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.Teal);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
