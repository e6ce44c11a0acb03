using MmUpt.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MmUpt.Learner.Training;

/// <summary>
/// The trained model and its optimizer. <see cref="Master"/> holds the fp32 weights AdamW updates (the checkpoint);
/// <see cref="Compute"/> runs forward and backward: the same object in fp32, a bf16 copy in bf16 (TorchSharp has no
/// autocast, so mixed precision is two copies: bf16 grads are cast into the fp32 master's .grad, the master steps, and
/// its values are cast back). A frozen vision tower is left out of the optimizer and has requires_grad off.
/// </summary>
public sealed class Policy : IDisposable
{
    private readonly TrainerOptions _options;
    private readonly List<(string Name, Parameter Master, Parameter Compute)> _trainable;

    public Qwen25VLForConditionalGeneration Master { get; }
    public Qwen25VLForConditionalGeneration Compute { get; }
    public AdamW Optimizer { get; }

    /// <summary>Optimizer steps applied (skipped non-finite steps not counted); drives the warmup.</summary>
    public long OptimizerSteps { get; set; }

    public bool MixedPrecision => !ReferenceEquals(Master, Compute);

    /// <summary>The options the policy was built with (optimizer, precision, batching).</summary>
    public TrainerOptions Options => _options;

    /// <summary>A stage's own learning rate (e.g. SFT before UPT); null = <see cref="TrainerOptions.LearningRate"/>.</summary>
    public double? LearningRateOverride { get; set; }

    /// <param name="master">fp32 weights; the policy owns it from here</param>
    public Policy(Qwen25VLForConditionalGeneration master, TrainerOptions options)
    {
        if (master.Options.DType != ScalarType.Float32)
            throw new ArgumentException($"master weights must be fp32, got {master.Options.DType}");
        _options = options;
        Master = master;
        Compute = options.Precision == "bf16" ? CopyOf(master, ScalarType.BFloat16) : master;
        Compute.GradientCheckpointing = options.GradientCheckpointing;
        var compute = Compute.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        _trainable = [];
        foreach (var (name, p) in master.named_parameters())
        {
            var frozen = options.FreezeVisionTower && name.StartsWith("visual.", StringComparison.Ordinal);
            p.requires_grad_(!frozen);
            compute[name].requires_grad_(!frozen);
            if (!frozen) _trainable.Add((name, p, compute[name]));
        }
        Optimizer = optim.AdamW(_trainable.Select(t => t.Master), lr: options.LearningRate, beta1: options.Beta1,
            beta2: options.Beta2, eps: options.AdamEps, weight_decay: options.WeightDecay);
    }

    /// <summary>The learning rate of the next optimizer step: linear warmup over WarmupSteps, then constant.</summary>
    public double CurrentLearningRate
    {
        get
        {
            var lr = LearningRateOverride ?? _options.LearningRate;
            return _options.WarmupSteps > 0 && OptimizerSteps < _options.WarmupSteps ? lr * (OptimizerSteps + 1) / _options.WarmupSteps : lr;
        }
    }

    /// <summary>
    /// Clips the accumulated gradients to MaxGradNorm and steps AdamW, unless the norm is not finite (then nothing
    /// changes). Clears the gradients either way. Returns the norm before clipping.
    /// </summary>
    public (double GradNorm, bool Applied) ApplyGradients()
    {
        using var scope = NewDisposeScope();
        if (MixedPrecision)
        {
            using var noGrad = no_grad();
            foreach (var (_, master, compute) in _trainable) master.grad = compute.grad?.to(ScalarType.Float32);
        }
        var masters = _trainable.Select(t => t.Master).ToList();
        var norm = nn.utils.clip_grad_norm_(masters, _options.MaxGradNorm);
        var applied = double.IsFinite(norm);
        if (applied)
        {
            foreach (var g in Optimizer.ParamGroups) g.LearningRate = CurrentLearningRate;
            Optimizer.step();
            OptimizerSteps++;
            if (MixedPrecision) CopyValues(Master, Compute);
        }
        Master.zero_grad(set_to_none: true);
        if (MixedPrecision) Compute.zero_grad(set_to_none: true);
        return (norm, applied);
    }

    /// <summary>Clears accumulated gradients without stepping (a step abandoned before its optimizer update).</summary>
    public void DiscardGradients()
    {
        Master.zero_grad(set_to_none: true);
        if (MixedPrecision) Compute.zero_grad(set_to_none: true);
    }

    /// <summary>After the master weights were replaced (resume): refresh the compute copy.</summary>
    public void SyncCompute()
    {
        if (MixedPrecision) CopyValues(Master, Compute);
    }

    private static Qwen25VLForConditionalGeneration CopyOf(Qwen25VLForConditionalGeneration m, ScalarType dtype)
    {
        var copy = new Qwen25VLForConditionalGeneration(m.Config, m.Options with { DType = dtype });
        CopyValues(m, copy);
        return copy;
    }

    private static void CopyValues(nn.Module from, nn.Module to)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var target = to.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in from.named_parameters()) target[name].copy_(p);
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        if (MixedPrecision) Compute.Dispose();
        Master.Dispose();
    }
}
