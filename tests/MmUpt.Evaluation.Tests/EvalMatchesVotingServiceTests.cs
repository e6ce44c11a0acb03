using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Voting;

namespace MmUpt.Evaluation.Tests;

/// <summary>Issue 9, "one vote": eval's maj@K is the training vote, checked against a real voting service's Score RPC.</summary>
public sealed class EvalMatchesVotingServiceTests
{
    // Answers a half-trained model scatters over: spellings of one value, near misses, no box, an empty response, and
    // lettered options for the multiple-choice prompts.
    private static readonly string[] Pool =
        [@"\boxed{\frac12}", @"\boxed{0.5}", @"\boxed{1/2}", @"\boxed{2}", @"\boxed{3}", @"\boxed{3.0}", "no answer given", "",
         @"\boxed{B}", @"\boxed{(B)}", @"\boxed{8}", @"\boxed{A}", @"\boxed{None}", @"\fbox{2}", @"\boxed{ 2 }"];

    [Theory]
    [InlineData("faithful")]
    [InlineData("robust")]
    public async Task Eval_majority_equals_the_voting_service_majority_on_the_same_samples(string mode)
    {
        var options = new VotingOptions { Mode = mode };
        var app = VotingServer.Build(new ServerOptions { Port = 0 }, options);
        await app.StartAsync();
        await using var _ = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var channel = GrpcChannel.ForAddress(address);
        var client = new VotingService.VotingServiceClient(channel);

        var random = new Random(11);
        var items = new List<EvalItem>();
        for (var p = 0; p < 200; p++)
        {
            var k = 8;
            var responses = Enumerable.Range(0, k).Select(_ => Pool[random.Next(Pool.Length)]).ToList();
            var prompt = p % 3 == 0 ? "How many sides?\nChoices:\nA. 6\nB. 8\nC. 10" : "What is x?";
            var reference = new[] { "0.5", "2", "3", "8", "B" }[random.Next(5)];
            items.Add(new EvalItem($"p{p}", reference, responses, PromptText: prompt));
        }
        var report = EvalScorer.Score(items, options.ToVoteOptions());

        var serviceCorrect = 0;
        foreach (var item in items)
        {
            var request = new ScoreRequest();
            for (var i = 0; i < item.Responses.Count; i++)
            {
                request.Samples.Add(new Sample
                {
                    GroupId = item.Id, Index = (uint)i, GroupSize = (uint)item.Responses.Count, ResponseText = item.Responses[i],
                    ResponseTokenIds = { 1 }, BehaviourLogprobs = { -0.5f }, FinishReason = FinishReason.Stop,
                    Prompt = new Prompt { Text = item.PromptText, ReferenceAnswer = item.Reference },
                });
            }
            var scored = (await client.ScoreAsync(request)).Group;
            var problem = report.Problems.Single(s => s.Id == item.Id);
            Assert.Equal(scored.Metrics.MajorityAnswer, problem.MajorityAnswer ?? "");
            Assert.Equal(scored.Metrics.MajorityCorrect, problem.MajorityCorrect);
            Assert.Equal(scored.Metrics.SampleAccuracy, problem.Pass1, 12);
            serviceCorrect += scored.Metrics.MajorityCorrect ? 1 : 0;
        }
        Assert.Equal((double)serviceCorrect / items.Count, report.Overall.MajK, 12);
        // Not a vacuous check: the set has right and wrong majorities.
        Assert.InRange(serviceCorrect, 1, items.Count - 1);
    }
}
