using System.Text.Json;
using MmUpt.Learner.Grpo;

namespace MmUpt.Learner.Tests;

public class GrpoLossJsonTests
{
    private static System.Text.Json.Nodes.JsonObject Run(string json, bool grad = false)
    {
        using var doc = JsonDocument.Parse(json);
        return GrpoLossJson.Run(doc.RootElement, new GrpoOptions(), grad);
    }

    [Fact]
    public void RewardsWithGroupIdsGiveGroupNormalisedAdvantagesAndTheGradient()
    {
        // Two groups of two: mean 0.5, unbiased std √0.5, A = ±0.5/(√0.5 + 1e-6) in group a, 0 in group b (constant). Ratio 1, no reference.
        var r = Run("""
            {"log_probs": [[-1, -2], [-1, -3], [-0.5, -0.5], [-0.1, -0.2]],
             "response_mask": [[1, 1], [1, 0], [1, 1], [1, 1]],
             "rewards": [1, 0, 1, 1], "group_ids": ["a", "a", "b", "b"], "config": {"kl_coef": 0.5}}
            """, grad: true);
        var a = 0.5 / (Math.Sqrt(0.5) + 1e-6);
        var adv = r["advantages"]!.AsArray().Select(x => (double)x!).ToArray();
        Assert.Equal(a, adv[0], 9);
        Assert.Equal(-a, adv[1], 9);
        Assert.Equal(0, adv[2]);
        // ℓ = −A per token over 7 tokens: (−a −a + a) / 7.
        Assert.Equal(-a / 7, (double)r["loss"]!, 9);
        Assert.Equal(0.0, (double)r["kl_loss"]!);
        var g = r["grad_log_probs"]!.AsArray().Select(row => row!.AsArray().Select(x => (double)x!).ToArray()).ToArray();
        Assert.Equal(-a / 7, g[0][1], 9);
        Assert.Equal(0.0, g[1][1]);
        Assert.Equal(a / 7, g[1][0], 9);
    }

    [Theory]
    [InlineData("""{"log_probs": [[0]], "advantages": [1], "extra": 1}""", "unknown key \"extra\"")]
    [InlineData("""{"log_probs": [[0, 1]], "old_log_probs": [[0]], "advantages": [1]}""", "\"old_log_probs\" is [1][1]")]
    [InlineData("""{"log_probs": [[0]], "rewards": [1]}""", "group_ids")]
    [InlineData("""{"log_probs": [[0]], "advantages": [1], "config": {"clip_ratio_low": 2}}""", "config:ClipRatioLow")]
    [InlineData("""{"log_probs": [["x"]], "advantages": [1]}""", "\"log_probs[0]\"[0]")]
    public void BadInputNamesTheKey(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => Run(json));
        Assert.Contains(expected, ex.Message);
    }
}
