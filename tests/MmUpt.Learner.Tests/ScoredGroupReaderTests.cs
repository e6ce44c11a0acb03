using MmUpt.Contracts.V1;
using MmUpt.Learner.Training;

namespace MmUpt.Learner.Tests;

public class ScoredGroupReaderTests
{
    private static ScoredGroup Good() =>
        LearnerFixtures.Group("g7", LearnerFixtures.Text(1, 4), [(LearnerFixtures.Text(2, 3), 1f), (LearnerFixtures.Text(3, 2), 0f)]);

    public static TheoryData<string, string> Cases => new()
    {
        { "lengths", "samples[1].behaviour_logprobs: has 1 entries, response_token_ids 2" },
        { "missing", "samples[0].behaviour_logprobs: is missing" },
        { "vocab", "samples[0].response_token_ids[1]: 99999 is outside the vocabulary" },
        { "banned", "samples[0].response_token_ids[0]:" },
        { "reward", "samples[1].reward: NaN is not finite" },
        { "version", "samples[0].weights_version: 5 was not published" },
        { "prompt", "samples[1].prompt_token_ids: differ" },
        { "images", "samples[0].prompt_token_ids: has 0 image tokens" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadGroupsAreRejectedNamingTheGroupAndTheField(string fault, string expected)
    {
        var g = Good();
        var s0 = g.Samples[0].Sample;
        var s1 = g.Samples[1].Sample;
        switch (fault)
        {
            case "lengths": s1.BehaviourLogprobs.RemoveAt(0); break;
            case "missing": s0.BehaviourLogprobs.Clear(); break;
            case "vocab": s0.ResponseTokenIds[1] = 99999; break;
            case "banned": s0.ResponseTokenIds[0] = LearnerFixtures.Processor.Config.ImageTokenId; break;
            case "reward": g.Samples[1].Reward = float.NaN; break;
            case "version": s0.WeightsVersion = 5; break;
            case "prompt": s1.PromptTokenIds[0] += 1; break;
            case "images": s0.Prompt.Images.Add(LearnerFixtures.Png(10, 56, 56)); break;
        }
        var ex = Assert.Throws<InvalidGroupException>(() => LearnerFixtures.Reader().Read(g));
        Assert.StartsWith("group \"g7\": ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void AGoodGroupKeepsItsTrainedSamples()
    {
        var g = Good();
        g.Samples.Add(new ScoredSample { Sample = g.Samples[0].Sample.Clone(), Reward = 1, Trained = false });
        var prepared = LearnerFixtures.Reader().Read(g);
        Assert.Equal(2, prepared.Samples.Count);
        Assert.Equal([1.0, 0.0], prepared.Samples.Select(s => s.Reward));
    }
}
