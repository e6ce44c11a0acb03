using System.Text.Json;
using Google.Protobuf;
using MmUpt.Contracts.V1;
using MmUpt.Learner.Training;
using MmUpt.Model;
using static TorchSharp.torch;

namespace MmUpt.Learner.Checkpoints;

/// <summary>
/// Learner checkpoints under <c>WORK/checkpoints/step-NNNNNNNN/</c>: <c>model/</c> (a plain HF folder of the fp32
/// master weights that <c>mmupt export</c>/<c>eval</c> load), <c>optimizer.bin</c> (AdamW moments and step counts),
/// <c>rng.bin</c> (torch's CPU generator state), <c>pending.bin</c> (length-delimited <see cref="ScoredGroup"/>s
/// received but not trained on) and <c>state.json</c>. Atomic: everything is written into a <c>.tmp-*</c> folder that
/// is renamed to <c>step-*</c> only when complete, so a <c>step-*</c> folder is always whole; left-over <c>.tmp-*</c>
/// folders (a crash while writing) are deleted on open. The newest <see cref="Keep"/> checkpoints are kept.
/// </summary>
public sealed class CheckpointStore
{
    private const string Prefix = "step-";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Root { get; }
    public int Keep { get; }

    public CheckpointStore(string workFolder, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        Root = Path.Combine(workFolder, "checkpoints");
        Keep = keep;
        Directory.CreateDirectory(Root);
        foreach (var tmp in Directory.GetDirectories(Root, ".tmp-*")) Directory.Delete(tmp, recursive: true);
    }

    /// <summary>The newest complete checkpoint folder, or null.</summary>
    public string? Latest() => Directory.GetDirectories(Root, Prefix + "*")
        .Where(d => File.Exists(Path.Combine(d, "state.json")))
        .OrderBy(d => d, StringComparer.Ordinal).LastOrDefault();

    /// <param name="auxiliaryFrom">the HF folder whose tokenizer/processor files go into model/</param>
    public string Save(Policy policy, LearnerState state, IEnumerable<ScoredGroup> pending, string? auxiliaryFrom)
    {
        var name = $"{Prefix}{state.Step:D8}";
        var tmp = Path.Combine(Root, $".tmp-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        Qwen25VLModel.SavePretrained(policy.Master, Path.Combine(tmp, "model"), auxiliaryFrom: auxiliaryFrom);
        policy.Optimizer.save_state_dict(Path.Combine(tmp, "optimizer.bin"));
        using (var rng = get_rng_state()) File.WriteAllBytes(Path.Combine(tmp, "rng.bin"), rng.bytes.ToArray());
        using (var f = File.Create(Path.Combine(tmp, "pending.bin")))
        {
            foreach (var g in pending) g.WriteDelimitedTo(f);
            f.Flush(flushToDisk: true);
        }
        state.OptimizerSteps = policy.OptimizerSteps;
        using (var f = File.Create(Path.Combine(tmp, "state.json")))
        {
            JsonSerializer.Serialize(f, state, Json);
            f.Flush(flushToDisk: true);
        }
        foreach (var file in Directory.GetFiles(tmp, "*", SearchOption.AllDirectories))
        {
            using var f = new FileStream(file, FileMode.Open, FileAccess.Read);
            f.Flush(flushToDisk: true); // fsync before the rename makes the folder visible as complete
        }
        var final = Path.Combine(Root, name);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true); // the same step saved again (SIGTERM right after a periodic save)
        Directory.Move(tmp, final);
        foreach (var old in Directory.GetDirectories(Root, Prefix + "*").OrderBy(d => d, StringComparer.Ordinal).SkipLast(Keep))
            Directory.Delete(old, recursive: true);
        return final;
    }

    /// <summary>Restores weights, optimizer and RNG of <paramref name="folder"/> into <paramref name="policy"/>; returns the state and pending groups.</summary>
    public static (LearnerState State, List<ScoredGroup> Pending) Load(string folder, Policy policy)
    {
        var state = JsonSerializer.Deserialize<LearnerState>(File.ReadAllText(Path.Combine(folder, "state.json")))
            ?? throw new InvalidDataException($"{folder}/state.json is empty");
        Qwen25VLCheckpointIO.Load(policy.Master, Path.Combine(folder, "model"));
        policy.SyncCompute();
        policy.Optimizer.load_state_dict(Path.Combine(folder, "optimizer.bin"));
        policy.OptimizerSteps = state.OptimizerSteps;
        var bytes = File.ReadAllBytes(Path.Combine(folder, "rng.bin"));
        using (var rng = empty(bytes.Length, dtype: ScalarType.Byte))
        {
            rng.bytes = bytes;
            set_rng_state(rng);
        }
        var pending = new List<ScoredGroup>();
        using (var f = File.OpenRead(Path.Combine(folder, "pending.bin")))
        {
            while (f.Position < f.Length) pending.Add(ScoredGroup.Parser.ParseDelimitedFrom(f));
        }
        return (state, pending);
    }
}
