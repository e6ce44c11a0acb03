using MmUpt.Rollout.Weights;

namespace MmUpt.Rollout.Tests.Weights;

/// <summary>Which SyncWeights sources count as the configured Rollout:WeightsSource.</summary>
public sealed class WeightsSourceTests
{
    [Theory]
    [InlineData("http://mmupt-learner:50053", "http://mmupt-learner:50053", true)]
    [InlineData("http://mmupt-learner:50053", "http://MMUPT-Learner:50053/", true)]
    [InlineData("http://mmupt-learner:50053", "HTTP://mmupt-learner:50053", false)]   // not an address to the worker: a folder
    [InlineData("https://mmupt-learner:443", "https://mmupt-learner", true)]
    [InlineData("http://mmupt-learner:50053", "https://mmupt-learner:50053", false)]
    [InlineData("http://mmupt-learner:50053", "http://mmupt-learner:50054", false)]
    [InlineData("http://mmupt-learner:50053", "http://mmupt-learner.evil:50053", false)]
    [InlineData("http://mmupt-learner:50053", "http://mmupt-learner:50053@evil:80", false)]
    [InlineData("http://mmupt-learner:50053", "/runs/train/weights", false)]
    [InlineData("/runs/train/weights", "/runs/train/weights/", true)]
    [InlineData("/runs/train/weights", "/runs/train/./weights", true)]
    [InlineData("/runs/train/weights", "/runs/train/weights/../other", false)]
    [InlineData("/runs/train/weights", "", false)]
    public void Matches(string configured, string requested, bool same) => Assert.Equal(same, WeightsSource.Same(configured, requested));
}
