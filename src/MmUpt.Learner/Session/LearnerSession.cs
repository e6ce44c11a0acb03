using Microsoft.Extensions.Logging;
using MmUpt.Checkpoint;
using MmUpt.Contracts.V1;
using MmUpt.Core;
using MmUpt.Core.Options;
using MmUpt.Learner.Checkpoints;
using MmUpt.Learner.Training;
using MmUpt.Model;
using MmUpt.Processing;
using MmUpt.Torch;
using static TorchSharp.torch;

namespace MmUpt.Learner.Session;

/// <summary>
/// What a learner process holds, whoever drives it (<c>mmupt learn</c> fed by the voting service, or the step loop of
/// <c>mmupt train</c>): the processor of the starting checkpoint, the policy and its optimizer, the frozen reference (when
/// the KL term is on), the counters, the checkpoint store, TensorBoard events. Opening it checks the checkpoint and the
/// work folder (one line naming the key on a problem) and, with Resume, restores the newest checkpoint exactly.
/// Every method touches TorchSharp: call them on one thread (<see cref="TorchThread"/>).
/// </summary>
public sealed class LearnerSession : IDisposable
{
    private readonly LearnerOptions _options;
    private readonly ILogger _logger;

    public Qwen25VLProcessor Processor { get; }
    public Policy Policy { get; }
    public Qwen25VLForConditionalGeneration? Reference { get; }
    public LearnerState State { get; }
    public CheckpointStore Checkpoints { get; }
    public TrainingMetricsWriter Metrics { get; }
    public ScoredGroupReader Reader { get; }

    /// <summary>The checkpoint restored at open, or null for a fresh start.</summary>
    public string? ResumedFrom { get; }

    /// <summary>Groups received but not trained when the restored checkpoint was written.</summary>
    public IReadOnlyList<ScoredGroup> RestoredPending { get; } = [];

    /// <param name="withReference">load the frozen reference when the KL term is on (false for SFT-only runs)</param>
    public LearnerSession(LearnerOptions options, ILogger logger, bool withReference = true)
    {
        _options = options;
        _logger = logger;
        var folder = options.Checkpoint!;
        CpuAllocator.Tune();
        if (options.Threads > 0) set_num_threads(options.Threads);
        manual_seed(options.Seed);
        Qwen25VLForConditionalGeneration master;
        try
        {
            Processor = Qwen25VLProcessor.Open(folder);
            var device = ModelOptions.Parse("fp32", options.Device);
            master = Qwen25VLModel.FromPretrained(folder, device);
            if (withReference && options.Trainer.Grpo.KlCoef > 0)
            {
                Reference = Qwen25VLModel.FromPretrained(folder, device with { DType = options.Trainer.Precision == "bf16" ? ScalarType.BFloat16 : ScalarType.Float32 });
                foreach (var p in Reference.parameters()) p.requires_grad_(false);
                Reference.eval();
            }
        }
        catch (Exception ex) when (ex is CheckpointFormatException or IOException or ArgumentException)
        {
            throw new OptionsException($"{LearnerOptions.Section}:{nameof(LearnerOptions.Checkpoint)}", ex.Message);
        }
        Policy = new Policy(master, options.Trainer);
        Checkpoints = new CheckpointStore(options.Work!, options.KeepCheckpoints);
        var identity = ModelIdentity.Of(folder);
        var latest = Checkpoints.Latest();
        if (latest is not null && !options.Resume)
            throw new OptionsException($"{LearnerOptions.Section}:{nameof(LearnerOptions.Resume)}",
                $"{options.Work} already has checkpoints ({Path.GetFileName(latest)}); pass --resume to continue, or use another folder");
        if (latest is not null)
        {
            List<ScoredGroup> pending;
            (State, pending) = CheckpointStore.Load(latest, Policy);
            if (State.ReferenceModelId != identity)
                throw new OptionsException($"{LearnerOptions.Section}:{nameof(LearnerOptions.Checkpoint)}",
                    $"the run in {options.Work} started from {State.ReferenceModelId}, not {identity}");
            ResumedFrom = latest;
            RestoredPending = pending;
            LearnerLog.Resumed(logger, latest, State.Step, State.WeightsVersion, pending.Count);
        }
        else
        {
            State = new LearnerState { ReferenceModelId = identity, Seed = options.Seed };
        }
        Reader = new ScoredGroupReader(Processor.Config, Processor.ImageProcessor, v => State.PublishedVersions.Contains(v));
        Metrics = new TrainingMetricsWriter(Path.Combine(options.Work!, "tensorboard"));
        LearnerLog.Loaded(logger, folder, options.Device, options.Trainer.Precision, get_num_threads(), Reference is null ? "none (KlCoef 0)" : identity);
    }

    /// <summary>
    /// Makes the frozen reference the policy as it is now: a UPT stage that follows an SFT stage in the same recipe
    /// anchors its KL term to the SFT result, as a separate run starting from the SFT checkpoint would.
    /// </summary>
    public void ResetReference()
    {
        if (Reference is null) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var target = Reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in Policy.Master.named_parameters()) target[name].copy_(p);
    }

    /// <summary>Writes a checkpoint of the current step (model, optimizer, RNG, counters, <paramref name="pending"/> groups).</summary>
    public string SaveCheckpoint(IEnumerable<ScoredGroup> pending)
    {
        var folder = Checkpoints.Save(Policy, State, pending, _options.Checkpoint);
        LearnerLog.Checkpointed(_logger, folder);
        return folder;
    }

    /// <summary>The current weights as a plain HF folder at <paramref name="final"/> (written aside, then renamed over it).</summary>
    public string SaveFinal(string final)
    {
        var tmp = final + ".tmp-" + Guid.NewGuid().ToString("N");
        Qwen25VLModel.SavePretrained(Policy.Master, tmp, auxiliaryFrom: _options.Checkpoint);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(tmp, final);
        LearnerLog.FinalSaved(_logger, final);
        return final;
    }

    public void Dispose()
    {
        Policy.Dispose();
        Reference?.Dispose();
    }
}
