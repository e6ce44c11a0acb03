using MmUpt.Model;
using MmUpt.Processing.Layout;
using static TorchSharp.torch;

namespace MmUpt.Model.Tests;

/// <summary>
/// The shared-prompt forward (each prompt and its image run once, then every continuation after it) gives the hidden
/// states and the parameter gradients of running each prompt ++ continuation whole: two prompts of different lengths
/// with different images (so the shorter one is padded), three and two continuations of different lengths.
/// </summary>
public sealed class SharedPromptTests
{
    private static readonly long[][] Continuations = [[31, 32, 33, 34], [41, 42], [51, 52, 53], [61], [71, 72, 73]];
    private static readonly long[] RowPrompt = [0, 0, 0, 1, 1];

    [Fact]
    public void Each_prompt_once_equals_every_row_whole()
    {
        var config = TinyModels.Config();
        using var model = Qwen25VLModel.CreateRandom(config, seed: 3, ModelOptions.CpuFloat32);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var prompts = Prompts(config);
        var (promptHidden, rowHidden) = Shared(model, prompts);

        for (var row = 0; row < RowPrompt.Length; row++)
        {
            var whole = model.Hidden(Whole(prompts[(int)RowPrompt[row]], Continuations[row]));     // [1, P + S, hidden]
            var p = prompts[(int)RowPrompt[row]].InputIds.shape[1];
            AssertClose(whole[0, ..(int)p], promptHidden[RowPrompt[row], ..(int)p], $"row {row} prompt");
            AssertClose(whole[0, (int)p..], rowHidden[row, ..Continuations[row].Length], $"row {row} continuation");
        }
    }

    [Fact]
    public void Gradients_equal_those_of_every_row_whole()
    {
        var config = TinyModels.Config();
        using var model = Qwen25VLModel.CreateRandom(config, seed: 5, ModelOptions.CpuFloat32);
        using var scope = NewDisposeScope();
        var prompts = Prompts(config);
        var weights = randn([RowPrompt.Length, 8, config.HiddenSize], generator: new Generator(9));  // a loss on every continuation token

        var (_, rowHidden) = Shared(model, prompts);
        var loss = zeros(1);
        for (var row = 0; row < RowPrompt.Length; row++)
        {
            var n = Continuations[row].Length;
            loss += (rowHidden[row, ..n] * weights[row, ..n]).sum();
        }
        model.zero_grad();
        loss.backward();
        var shared = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());

        model.zero_grad();
        for (var row = 0; row < RowPrompt.Length; row++)
        {
            var p = prompts[(int)RowPrompt[row]].InputIds.shape[1];
            var n = Continuations[row].Length;
            var whole = model.Hidden(Whole(prompts[(int)RowPrompt[row]], Continuations[row]));
            (whole[0, (int)p..] * weights[row, ..n]).sum().backward();
        }
        foreach (var (name, parameter) in model.named_parameters())
        {
            var expected = parameter.grad!;
            var scale = Math.Max(1e-3f, expected.abs().max().item<float>());
            var diff = (expected - shared[name]).abs().max().item<float>();
            Assert.True(diff / scale < 1e-4f, $"{name}: max |Δ grad| = {diff} (largest {scale})");
        }
        Assert.True(shared["visual.patch_embed.proj.weight"].abs().max().item<float>() > 0, "the image gets a gradient through the shared prompt");
    }

    // Two prompts with images of different grids: 2 + 4·6/4 + 2 + 3 and 3 + 4·4/4 + 2 + 1 tokens.
    private static Qwen25VLInputs[] Prompts(Checkpoint.Qwen25VLConfig config) =>
    [
        TinyModels.Batch(config, [new GridThw(1, 4, 6)], seed: 4, textBefore: 2, textAfter: 3),
        TinyModels.Batch(config, [new GridThw(1, 4, 4)], seed: 6, textBefore: 3, textAfter: 1),
    ];

    private static (Tensor Prompts, Tensor Rows) Shared(Qwen25VLForConditionalGeneration model, Qwen25VLInputs[] prompts)
    {
        var p = prompts.Max(x => x.InputIds.shape[1]);
        var ids = cat(prompts.Select(x => nn.functional.pad(x.InputIds, [0, p - x.InputIds.shape[1]])).ToArray(), 0);       // [2, P]
        var mask = cat(prompts.Select(x => nn.functional.pad(ones_like(x.InputIds), [0, p - x.InputIds.shape[1]])).ToArray(), 0);
        var batch = new Qwen25VLInputs(ids, mask, cat(prompts.Select(x => x.PixelValues!).ToArray(), 0),
            prompts.SelectMany(x => x.ImageGrids!).ToList());
        var s = Continuations.Max(c => c.Length);
        var rows = cat(Continuations.Select(c => tensor(c.Concat(new long[s - c.Length]).ToArray()).unsqueeze(0)).ToArray(), 0);   // [5, S]
        var rowMask = cat(Continuations.Select(c => tensor(Enumerable.Range(0, s).Select(j => j < c.Length ? 1L : 0L).ToArray()).unsqueeze(0)).ToArray(), 0);
        return model.SharedPromptHidden(batch, tensor(RowPrompt), rows, rowMask);
    }

    private static Qwen25VLInputs Whole(Qwen25VLInputs prompt, long[] continuation) =>
        prompt with { InputIds = cat([prompt.InputIds, tensor(continuation).unsqueeze(0)], 1) };

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff < 1e-4f, $"{what}: max |Δ hidden| = {diff}");
    }
}
