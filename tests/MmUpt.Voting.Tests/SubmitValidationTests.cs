using Grpc.Core;
using MmUpt.Contracts.V1;
using static MmUpt.Voting.Tests.Samples;

namespace MmUpt.Voting.Tests;

/// <summary>A malformed sample fails Submit with INVALID_ARGUMENT naming the problem; earlier samples are kept.</summary>
public sealed class SubmitValidationTests
{
    public static TheoryData<string, string> Malformed() => new()
    {
        { "wrong group size", "group_size 3 differs from the group's 2" },
        { "duplicate index", "duplicate index 0" },
        { "index out of range", "index 5 is out of range for group_size 2" },
        { "no response", "response_text and response_token_ids are both empty" },
        { "huge text", "more than the 1000000 allowed" },
        { "zero group size", "group_size 0 is outside" },
        { "missing group id", "group_id is required" },
        { "aborted", "ABORTED" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_sample_is_rejected_and_nothing_accepted_is_lost(string problem, string message)
    {
        await using var server = await VotingTestServer.StartAsync();
        var good = Boxed("g", 0, 2, "4");
        var bad = problem switch
        {
            "wrong group size" => Boxed("g", 1, 3, "4"),
            "duplicate index" => Boxed("g", 0, 2, "5"),
            "index out of range" => Boxed("g", 5, 2, "4"),
            "no response" => Text("g", 1, 2, "") is var empty ? Without(empty) : null!,
            "huge text" => Text("g", 1, 2, new string('x', 1_500_000)),
            "zero group size" => Boxed("h", 0, 0, "4"),
            "missing group id" => Boxed("", 0, 2, "4"),
            "aborted" => Boxed("g", 1, 2, "4") is var s ? WithFinish(s, FinishReason.Aborted) : null!,
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };
        var (_, status) = await server.SubmitAsync(good, bad, Boxed("never", 0, 1, "1"));
        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains(message, status.Detail);

        var afterReject = await server.StatusAsync();
        Assert.Equal(1u, afterReject.GroupsPending);
        Assert.Equal(1ul, afterReject.SamplesRejected);
        Assert.Equal(0ul, afterReject.GroupsScored);

        var (reply, ok) = await server.SubmitAsync(Boxed("g", 1, 2, "4"));
        Assert.Equal(StatusCode.OK, ok.StatusCode);
        Assert.Equal(1ul, reply!.CompletedGroups);
        using var subscriber = new Subscriber(server.Client, "learner");
        var group = (await subscriber.ReadAsync(1))[0];
        Assert.Equal("g", group.GroupId);
        Assert.Equal([1f, 1f], Rewards(group));
    }

    [Fact]
    public async Task A_response_of_only_the_end_of_sequence_token_is_a_vote_for_no_answer()
    {
        await using var server = await VotingTestServer.StartAsync();
        var eosOnly = Without(Text("e", 1, 2, ""));
        eosOnly.ResponseTokenIds.Add(7);
        eosOnly.BehaviourLogprobs.Add(-0.5f);
        var (reply, status) = await server.SubmitAsync(Boxed("e", 0, 2, "4"), eosOnly);
        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal(1ul, reply!.CompletedGroups);
        using var subscriber = new Subscriber(server.Client, "learner");
        var group = (await subscriber.ReadAsync(1))[0];
        Assert.Equal([1f, 0f], Rewards(group));
    }

    [Fact]
    public async Task A_late_sample_of_a_completed_group_is_rejected()
    {
        await using var server = await VotingTestServer.StartAsync();
        await server.SubmitAsync(Group("g", "1", "1"));
        var (_, status) = await server.SubmitAsync(Boxed("g", 1, 2, "1"));
        Assert.Equal(StatusCode.AlreadyExists, status.StatusCode);
        Assert.Contains("group g was already scored from attempt 0", status.Detail);
        Assert.Equal(1ul, (await server.StatusAsync()).GroupsScored);
    }

    private static Sample WithFinish(Sample s, FinishReason reason)
    {
        s.FinishReason = reason;
        return s;
    }

    private static Sample Without(Sample sample)
    {
        sample.ResponseTokenIds.Clear();
        sample.BehaviourLogprobs.Clear();
        return sample;
    }
}
