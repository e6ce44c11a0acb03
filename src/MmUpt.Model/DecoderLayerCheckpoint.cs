using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// Gradient checkpointing of one decoder layer (TorchSharp has no torch.utils.checkpoint): forward runs the layer
/// without a graph and keeps only its input; backward re-runs it with a graph on a detached copy of the input and
/// back-propagates through it, which accumulates the layer's parameter gradients directly (the reentrant variant) and
/// returns the input's gradient. Exact: the layer has no dropout or other randomness.
/// </summary>
public sealed class DecoderLayerCheckpoint : autograd.SingleTensorFunction<DecoderLayerCheckpoint>
{
    public override string Name => nameof(DecoderLayerCheckpoint);

    /// <param name="x">[B, L, hidden]; must require grad, or the layer's parameters get no gradient</param>
    public static Tensor Apply(Qwen25VLDecoderLayer layer, Tensor x, Tensor cos, Tensor sin, Tensor mask) =>
        apply(x, layer, cos, sin, mask);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, layer, cos, sin, mask) = ((Tensor)vars[0], (Qwen25VLDecoderLayer)vars[1], (Tensor)vars[2], (Tensor)vars[3], (Tensor)vars[4]);
        ctx.save_for_backward([x, cos, sin, mask]);
        ctx.save_data("layer", layer);
        return layer.forward(x, cos, sin, mask);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var layer = (Qwen25VLDecoderLayer)ctx.get_data("layer");
        var x = saved[0].detach().requires_grad_(true);
        using (enable_grad())
        {
            var y = layer.forward(x, saved[1], saved[2], saved[3]);
            autograd.backward([y], [gradOutput]);
        }
        // One entry per forward argument: x, then none for the layer, cos, sin and mask.
        return [x.grad!.MoveToOuterDisposeScope(), null!, null!, null!, null!];
    }
}
