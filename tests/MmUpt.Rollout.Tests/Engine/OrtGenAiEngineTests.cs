using MmUpt.Checkpoint;
using MmUpt.Contracts.V1;
using MmUpt.Core;
using MmUpt.Data;
using MmUpt.Model;
using MmUpt.Processing.Layout;
using MmUpt.Rollout.Engine;
using MmUpt.Sampling;
using static TorchSharp.torch;

namespace MmUpt.Rollout.Tests.Engine;

/// <summary>Batched group sampling with ORT GenAI on the exported tiny model, checked against the TorchSharp learner.</summary>
public sealed class OrtGenAiEngineTests(TinyExport tiny) : IClassFixture<TinyExport>, IDisposable
{
    private readonly OrtGenAiEngine _engine = OrtGenAiEngine.Load(tiny.Folder, DeviceSpec.Cpu);

    public void Dispose() => _engine.Dispose();

    private static SamplingSettings Settings(ulong seed, float temperature = 1f, int maxNew = 12) =>
        new() { Temperature = temperature, TopP = 1f, MaxNewTokens = maxNew, Seed = seed };

    [Fact]
    public void A_text_group_has_G_complete_responses_with_consistent_finish_reasons()
    {
        var prompt = _engine.Prepare(TinyExport.Prompt("count the red squares"), []);
        var group = _engine.Sample(prompt, groupSize: 4, Settings(seed: 3));

        Assert.Equal(4, group.Count);
        foreach (var s in group)
        {
            Assert.InRange(s.TokenIds.Length, 1, 12);
            Assert.Equal(s.TokenIds.Length, s.LogProbs.Length);
            Assert.All(s.LogProbs, lp => Assert.True(lp <= 0 && float.IsFinite(lp), $"log-prob {lp}"));
            var endsWithEos = _engine.Info.EosTokenIds.Contains(s.TokenIds[^1]);
            Assert.Equal(endsWithEos ? FinishReason.Stop : FinishReason.Length, s.Finish);
            Assert.Equal(s.Finish == FinishReason.Length ? 12 : s.TokenIds.Length, s.TokenIds.Length);
            Assert.DoesNotContain(s.TokenIds[..^1], _engine.Info.EosTokenIds.Contains);
        }
        Assert.True(group.Select(s => string.Join(',', s.TokenIds)).Distinct().Count() > 1, "rows of one group must sample independently");
    }

    [Fact]
    public void The_same_seed_reproduces_a_group_and_another_seed_does_not()
    {
        var prompt = _engine.Prepare(TinyExport.Prompt("add the digits"), []);
        string Run(ulong seed) => string.Join('|', _engine.Sample(prompt, 3, Settings(seed)).Select(s => string.Join(',', s.TokenIds)));
        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    [Fact]
    public void Greedy_decoding_gives_identical_rows()
    {
        var prompt = _engine.Prepare(TinyExport.Prompt("which is bigger?"), []);
        var group = _engine.Sample(prompt, 3, Settings(seed: 1) with { TopK = 1 });
        Assert.Single(group.Select(s => string.Join(',', s.TokenIds)).Distinct());
    }

    [Fact]
    public void Image_placeholders_are_expanded_to_the_image_token_count()
    {
        var text = _engine.Prepare(TinyExport.Prompt("what is shown?", images: 1)[..0] + TinyExport.Prompt("what is shown?"), []);
        var withImage = _engine.Prepare(TinyExport.Prompt("what is shown?", images: 1), [tiny.Image]);
        // 140×84 px → grid 1×6×10 patches → 15 merged tokens; the placeholder itself is one of them.
        Assert.Equal(15, withImage.TokenIds.Count(t => t == tiny.Config.ImageTokenId));
        Assert.Equal(text.TokenIds.Length + 2 + 15, withImage.TokenIds.Length);
        Assert.Equal((1, 6, 10), (withImage.Images[0].GridT, withImage.Images[0].GridH, withImage.Images[0].GridW));
    }

    [Fact]
    public void A_placeholder_without_an_image_and_an_image_without_a_placeholder_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => _engine.Prepare(TinyExport.Prompt("what is shown?", images: 1), []));
        Assert.Throws<ArgumentException>(() => _engine.Prepare(TinyExport.Prompt("what is shown?"), [tiny.Image]));
    }

    [Fact]
    public void Bad_group_size_and_over_long_requests_are_rejected()
    {
        var prompt = _engine.Prepare(TinyExport.Prompt("hi"), []);
        Assert.Throws<ArgumentOutOfRangeException>(() => _engine.Sample(prompt, 33, Settings(1)));
        Assert.Throws<ArgumentException>(() => _engine.Sample(prompt, 1, Settings(1, maxNew: _engine.Info.ContextLength)));
    }

    /// <summary>
    /// A group's rows carry the same prompt and image; the exported graphs encode a repeated image once and run the
    /// prefill's per-token work once per run of equal rows (ImageSources, RowSharing), found in-graph. A packed generator
    /// with repeats next to each other, a repeat that is not, an image of the same size with other pixels and the same
    /// text, and a text-only row samples every row exactly as that row alone.
    /// </summary>
    [Fact]
    public void Rows_that_share_a_prefill_sample_as_each_would_alone()
    {
        var a = _engine.Prepare(TinyExport.Prompt("count the shapes", 1), [tiny.Image]);
        var b = _engine.Prepare(TinyExport.Prompt("count the shapes", 1), [tiny.OtherImage]);
        var c = _engine.Prepare(TinyExport.Prompt("count the shapes"), []);
        PreparedPrompt[] prompts = [a, a, b, c, a, b, b];
        var sampling = new GroupSampling(Settings(seed: 5, maxNew: 8), null, _engine.Info.EosTokenIds);
        var packed = new SampledSequence[prompts.Length];
        _engine.Run(prompts.Select((p, i) => new BatchRow(p, sampling, RowSampler.RowRandom(5, i), default, r => packed[i] = r.Sequence)).ToList());
        for (var i = 0; i < prompts.Length; i++)
        {
            SampledSequence? alone = null;
            _engine.Run([new BatchRow(prompts[i], sampling, RowSampler.RowRandom(5, i), default, r => alone = r.Sequence)]);
            Assert.Equal(alone!.TokenIds, packed[i].TokenIds);
            for (var t = 0; t < alone.LogProbs.Length; t++)
            {
                Assert.True(Math.Abs(alone.LogProbs[t] - packed[i].LogProbs[t]) <= 1e-4f,
                    $"row {i} token {t}: alone {alone.LogProbs[t]} vs packed {packed[i].LogProbs[t]}");
            }
        }
        // The three prompts differ: their first tokens' log-probs must not all coincide (a merge would make them equal).
        Assert.True(new[] { packed[0], packed[2], packed[3] }.Select(s => s.LogProbs[0]).Distinct().Count() > 1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Behaviour_log_probs_equal_the_learners_log_probs(int images)
    {
        const float temperature = 0.7f;
        var prompt = _engine.Prepare(TinyExport.Prompt("count the shapes", images), images == 0 ? [] : [tiny.Image]);
        var group = _engine.Sample(prompt, 3, Settings(seed: 11, temperature: temperature, maxNew: 8));

        using var model = Qwen25VLModel.FromPretrained(tiny.Checkpoint, ModelOptions.CpuFloat32);
        model.eval();
        foreach (var sample in group)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            long[] ids = [.. prompt.TokenIds.Select(t => (long)t), .. sample.TokenIds.Select(t => (long)t)];
            Tensor? pixels = null;
            List<GridThw>? grids = null;
            if (images > 0)
            {
                var image = prompt.Images[0];
                pixels = tensor(image.PixelValues, [image.Patches, image.PatchDim]);
                grids = [new GridThw(image.GridT, image.GridH, image.GridW)];
            }
            // The learner's log-probs with the exported decoder's never-sampled mask applied before the softmax.
            var logits = model.forward(new Qwen25VLInputs(tensor(ids, [1, ids.Length]), null, pixels, grids)).to(ScalarType.Float32);
            var bias = new float[logits.shape[^1]];
            foreach (var id in NeverSampledTokens.Ids(tiny.Config))
            {
                bias[id] = float.NegativeInfinity;
            }
            var masked = logits + tensor(bias);
            var all = nn.functional.log_softmax(masked / temperature, -1);
            // Position t predicts token t+1: the response tokens are predicted from positions promptLength-1 onward.
            var positions = all[0, (prompt.TokenIds.Length - 1)..^1];
            var learner = positions.gather(-1, tensor(sample.TokenIds.Select(t => (long)t).ToArray()).unsqueeze(-1)).squeeze(-1).data<float>().ToArray();
            Assert.Equal(sample.LogProbs.Length, learner.Length);
            for (var i = 0; i < learner.Length; i++)
            {
                Assert.True(Math.Abs(sample.LogProbs[i] - learner[i]) <= 1e-4 * Math.Max(1, Math.Abs(learner[i])),
                    $"token {i}: behaviour {sample.LogProbs[i]} vs learner {learner[i]}");
            }
        }
    }
}
