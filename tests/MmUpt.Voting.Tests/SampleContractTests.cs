using System.Text;
using Google.Protobuf;
using Grpc.Core;
using MmUpt.Contracts.V1;
using static MmUpt.Voting.Tests.Samples;

namespace MmUpt.Voting.Tests;

/// <summary>Issue 11, finding 5: every field of a sample is checked against the contract, and one attempt is scored.</summary>
public sealed class SampleContractTests
{
    public static TheoryData<string, string> Broken() => new()
    {
        { "NaN log-prob", "behaviour_logprobs[1] = NaN is not a log-probability" },
        { "+Inf log-prob", "behaviour_logprobs[1] = Infinity is not a log-probability" },
        { "-Inf log-prob", "behaviour_logprobs[1] = -Infinity is not a log-probability" },
        { "positive log-prob", "behaviour_logprobs[1] = 0.5 is not a log-probability" },
        { "log-prob count", "behaviour_logprobs has 2 values for 3 response_token_ids" },
        { "negative response token", "response_token_ids[2] = -4 is outside [0, 2^31)" },
        { "negative prompt token", "prompt_token_ids[0] = -1 is outside" },
        { "token beyond the vocabulary", "response_token_ids[0] = 500 is outside [0, 300) (VocabSize)" },
        { "huge prompt", "prompt.text has 5000000 bytes, more than the 4194304 allowed (MaxPromptBytes)" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task A_sample_that_breaks_the_contract_is_rejected_naming_group_sample_and_field(string problem, string message)
    {
        await using var server = await VotingTestServer.StartAsync(new VotingOptions { VocabSize = problem == "token beyond the vocabulary" ? 300 : null });
        var bad = Boxed("g", 1, 2, "4");
        switch (problem)
        {
            case "NaN log-prob": bad.BehaviourLogprobs[1] = float.NaN; break;
            case "+Inf log-prob": bad.BehaviourLogprobs[1] = float.PositiveInfinity; break;
            case "-Inf log-prob": bad.BehaviourLogprobs[1] = float.NegativeInfinity; break;
            case "positive log-prob": bad.BehaviourLogprobs[1] = 0.5f; break;
            case "log-prob count": bad.BehaviourLogprobs.RemoveAt(2); break;
            case "negative response token": bad.ResponseTokenIds[2] = -4; break;
            case "negative prompt token": bad.PromptTokenIds.Add([-1, 5]); break;
            case "token beyond the vocabulary": bad.ResponseTokenIds[0] = 500; break;
            case "huge prompt": bad.Prompt.Text = new string('p', 5_000_000); break;
            default: throw new ArgumentOutOfRangeException(nameof(problem));
        }
        var (_, status) = await server.SubmitAsync(Boxed("g", 0, 2, "4"), bad);
        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("sample g#0[1]: " + message, status.Detail);
        var after = await server.StatusAsync();
        Assert.Equal(1ul, after.SamplesRejected);
        Assert.Equal(1u, after.GroupsPending);
    }

    [Theory]
    [InlineData("response_text")]
    [InlineData("group_id")]
    [InlineData("prompt.text")]
    public async Task Invalid_utf8_is_rejected_naming_the_field_and_counted(string field)
    {
        await using var server = await VotingTestServer.StartAsync();
        var sample = Boxed("grp", 1, 2, "4");
        // A marker the serializer writes as plain bytes, patched afterwards into bytes that are not UTF-8.
        switch (field)
        {
            case "response_text": sample.ResponseText += "@@@@"; break;
            case "group_id": sample.GroupId += "@@@@"; break;
            case "prompt.text": sample.Prompt.Text += "@@@@"; break;
        }
        var bytes = new SubmitRequest { Sample = sample }.ToByteArray();
        var at = bytes.AsSpan().IndexOf("@@@@"u8);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        var status = await SubmitRawAsync(server, new SubmitRequest { Sample = Boxed("grp", 0, 2, "4") }.ToByteArray(), bytes);
        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains($"#0[1]: {field} is not valid UTF-8", status.Detail);
        Assert.StartsWith("sample grp", status.Detail);
        var after = await server.StatusAsync();
        Assert.Equal(1ul, after.SamplesRejected);
        Assert.Equal(1u, after.GroupsPending);
    }

    [Fact]
    public async Task Invalid_utf8_in_score_is_invalid_argument_not_unknown()
    {
        await using var server = await VotingTestServer.StartAsync();
        var sample = Boxed("s", 0, 1, "4");
        sample.ResponseText += "@@@@";
        var bytes = new ScoreRequest { Samples = { sample } }.ToByteArray();
        bytes[bytes.AsSpan().IndexOf("@@@@"u8)] = 0xFF;
        var method = new Method<byte[], ScoreResponse>(MethodType.Unary, VotingService.Descriptor.FullName, "Score", Raw,
            Marshallers.Create((ScoreResponse r) => r.ToByteArray(), ScoreResponse.Parser.ParseFrom));
        var ex = await Assert.ThrowsAsync<RpcException>(() => server.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, bytes).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("sample s#0[0]: response_text is not valid UTF-8", ex.Status.Detail);
    }

    [Fact]
    public async Task Only_the_first_attempt_to_complete_is_scored_and_later_ones_are_rejected_by_name()
    {
        await using var server = await VotingTestServer.StartAsync();
        // Attempt 0 is slow; the retry (attempt 1) completes first.
        Assert.Equal(StatusCode.OK, (await server.SubmitAsync(Boxed("g", 0, 2, "1", attempt: 0))).Status.StatusCode);
        Assert.Equal(StatusCode.OK, (await server.SubmitAsync(Boxed("g", 0, 2, "2", attempt: 1), Boxed("g", 1, 2, "2", attempt: 1))).Status.StatusCode);
        var (_, late) = await server.SubmitAsync(Boxed("g", 1, 2, "1", attempt: 0));
        Assert.Equal(StatusCode.AlreadyExists, late.StatusCode);
        Assert.Contains("sample g#0[1]: group g was already scored from attempt 1; attempt 0 is not scored", late.Detail);

        var status = await server.StatusAsync();
        Assert.Equal(1ul, status.GroupsScored);
        Assert.Equal(0u, status.GroupsPending);
        using var subscriber = new Subscriber(server.Client, "learner");
        var delivered = await subscriber.ReadAsync(1);
        Assert.Equal(1u, delivered[0].Attempt);
        Assert.Equal(1u, (await server.AcknowledgeAsync(delivered[0])).Acknowledged);
        Assert.Equal(0u, (await server.StatusAsync()).GroupsReady);
    }

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create((byte[] b) => b, b => b);

    // Submit with pre-serialized requests, as a client with a broken encoder would send them.
    private static async Task<Status> SubmitRawAsync(VotingTestServer server, params byte[][] requests)
    {
        var method = new Method<byte[], SubmitResponse>(MethodType.ClientStreaming, VotingService.Descriptor.FullName, "Submit", Raw,
            Marshallers.Create((SubmitResponse r) => r.ToByteArray(), SubmitResponse.Parser.ParseFrom));
        using var call = server.Channel.CreateCallInvoker().AsyncClientStreamingCall(method, null, default);
        try
        {
            foreach (var r in requests)
            {
                await call.RequestStream.WriteAsync(r);
            }
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException)
        {
            // The server ended the call early; its status follows.
        }
        try
        {
            await call.ResponseAsync;
            return Status.DefaultSuccess;
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }
    }
}
