using MmUpt.Processing.Layout;
using TorchSharp;
using static TorchSharp.torch;

namespace MmUpt.Model.Tests;

public class GradientAndMemoryTests
{
    [Fact]
    public void BackwardMatchesCentralFiniteDifferencesInFloat64()
    {
        var c = TinyModels.Config();
        var o = new ModelOptions(ScalarType.Float64, CPU);
        using var m = Qwen25VLModel.CreateRandom(c, 3, o);
        // Larger weights than the 0.02 init so every path has a gradient well above float64 noise.
        using (no_grad()) foreach (var p in m.parameters()) p.mul_(5.0);
        var batch = TinyModels.Batch(c, [new GridThw(1, 6, 6)], seed: 5);
        batch = batch with { PixelValues = batch.PixelValues!.to(ScalarType.Float64) };
        var weights = rand([1, batch.InputIds.shape[1] - 1], dtype: ScalarType.Float64, generator: new Generator(1));
        double Loss() => (m.NextTokenLogProbs(batch, 0.8) * weights).sum().item<double>();

        (m.NextTokenLogProbs(batch, 0.8) * weights).sum().backward();
        var probes = new[] { ("model.layers.1.self_attn.k_proj.weight", 5L), ("model.layers.0.mlp.down_proj.weight", 17L),
            ("visual.blocks.0.attn.qkv.bias", 3L), ("visual.patch_embed.proj.weight", 100L), ("visual.merger.mlp.0.weight", 40L),
            ("model.embed_tokens.weight", 9L * 96 + 3) }; // row 9 = <|vision_start|>, present in every batch
        var named = m.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, flatIndex) in probes)
        {
            var p = named[name];
            var analytic = p.grad!.flatten()[flatIndex].item<double>();
            const double eps = 1e-6;
            double Shifted(double d)
            {
                using (no_grad()) p.view(-1)[flatIndex] += d;
                var v = Loss();
                using (no_grad()) p.view(-1)[flatIndex] -= d;
                return v;
            }
            var numeric = (Shifted(eps) - Shifted(-eps)) / (2 * eps);
            Assert.True(Math.Abs(analytic - numeric) <= 1e-6 + 1e-5 * Math.Abs(numeric), $"{name}[{flatIndex}]: analytic {analytic}, numeric {numeric}");
        }
    }

    [Fact]
    public void RepeatedTrainingStepsInScopesDoNotLeakTensors()
    {
        var c = TinyModels.Config();
        using var m = Qwen25VLModel.CreateRandom(c, 1, ModelOptions.CpuFloat32);
        using var opt = optim.AdamW(m.parameters(), lr: 1e-3);
        var batch = TinyModels.Batch(c, [new GridThw(1, 6, 10)], seed: 2);
        var live = new List<long>();
        for (var step = 0; step < 8; step++)
        {
            using (var scope = NewDisposeScope())
            {
                opt.zero_grad();
                var loss = -m.NextTokenLogProbs(batch, 1.0).mean();
                loss.backward();
                opt.step();
            }
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
        // Step 0 creates the grads and the AdamW state; from then on nothing may accumulate.
        Assert.All(live.Skip(2), n => Assert.Equal(live[1], n));
    }
}
