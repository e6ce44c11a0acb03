using System.Diagnostics;
using MmUpt.Core;
using MmUpt.Data;
using MmUpt.Evaluation;
using MmUpt.Grading.Voting;
using MmUpt.Learner.Publishing;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Writing;
using MmUpt.Rollout.Engine;
using MmUpt.Sampling;
using MmUpt.Training.Loop;

namespace MmUpt.Learner.Session;

/// <summary>
/// Held-out accuracy of the live policy, sampled the way the rollout workers sample: the starting checkpoint is exported
/// once into <c>OUT/eval-model</c> (<c>--external-data always</c>), and each measurement rewrites only its weight data
/// files from a snapshot of the master weights, loads it with ORT GenAI and runs three protocols over the same problems:
/// one sample at temperature 0.2 (the paper's), K samples at the rollout temperature (pass@1, maj@K voted as the voting
/// service votes, pass@K, top-answer share), and greedy decoding.
/// </summary>
public sealed class PolicyEvaluator
{
    private static readonly Qwen25VLExportOptions Export = new() { ExternalData = ExternalDataMode.Always, Overwrite = true };

    private readonly LearnerSession _session;
    private readonly TorchThread _torch;
    private readonly TrainEvalOptions _options;
    private readonly string _folder;
    private readonly DeviceSpec _device;
    private readonly List<DataRecord> _records;
    private readonly SamplingSettings _sampling;
    private readonly VoteOptions _vote = new();
    private readonly bool _rolloutOnly;
    // Kept across measurements: the graphs that place each weight are built on the first only.
    private readonly Qwen25VLVersionWriter _writer;

    private PolicyEvaluator(LearnerSession session, TorchThread torch, TrainEvalOptions options, string folder, DeviceSpec device,
        List<DataRecord> records, SamplingSettings sampling, bool rolloutOnly)
    {
        (_session, _torch, _options, _folder, _device, _records, _sampling, _rolloutOnly) =
            (session, torch, options, folder, device, records, sampling, rolloutOnly);
        _writer = new Qwen25VLVersionWriter(session.Processor.Config, Export);
    }

    /// <summary>Reads the held-out set and exports the starting checkpoint's graphs into <paramref name="folder"/>.</summary>
    /// <param name="rolloutOnly">Only the K samples at the rollout temperature (pass@1, maj@K; the collapse guard's dev set):
    /// acc@T=0.2 and greedy are not measured and recorded as NaN.</param>
    public static async Task<PolicyEvaluator> OpenAsync(LearnerSession session, TorchThread torch, TrainEvalOptions options, string checkpoint,
        string folder, string device, SamplingSettings sampling, CancellationToken cancellationToken, bool rolloutOnly = false)
    {
        var records = new List<DataRecord>();
        await using (var reader = await DatasetReaders.OpenAsync(options.Data, cancellationToken))
        {
            var stream = DatasetStream.Start(reader, new DatasetStreamOptions { Shuffle = false, Epochs = 1 });
            await foreach (var r in stream.ReadAsync(cancellationToken))
            {
                if (r.Answer is null) throw new DatasetFormatException(options.Data, r.Id, "has no answer (an evaluation set must be labelled)");
                records.Add(r);
                if (options.Limit > 0 && records.Count == options.Limit) break;
            }
        }
        if (records.Count == 0) throw new DatasetFormatException(options.Data, null, "has no readable rows");
        await Task.Run(() => Qwen25VLExporter.Export(checkpoint, folder, Export), cancellationToken);
        return new PolicyEvaluator(session, torch, options, folder, DeviceSpec.Parse(device), records, sampling, rolloutOnly);
    }

    public int Problems => _records.Count;

    public async Task<EvalRecord> RunAsync(string stage, long step, ulong version, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var snapshot = await _torch.RunAsync(() => new TorchWeightSource(_session.Policy.Master).Snapshot());
        await Task.Run(() => _writer.Write(snapshot, _folder), cancellationToken);
        using var engine = OrtGenAiEngine.Load(_folder, _device);
        var runner = new EvalRunner(new OrtGenAiSampler(engine), new PromptTemplate());
        async Task<EvalReport> Measure(int k, SamplingSettings settings) =>
            EvalRunner.Score(await runner.RunAsync(_records.ToAsyncEnumerable(), k, settings, null, cancellationToken), _vote);

        var low = _rolloutOnly ? null : await Measure(1, _sampling with { Temperature = 0.2f, TopP = 1f });
        var rollout = await Measure(_options.Samples, _sampling);
        var greedy = _rolloutOnly ? null : await Measure(1, _sampling with { TopK = 1 });
        var answered = rollout.Problems.Where(p => p.MajorityAnswer is not null && p.Abstained < p.Samples).ToList();
        var top = answered.GroupBy(p => p.MajorityAnswer, StringComparer.Ordinal).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        return new EvalRecord(stage, step, version, _records.Count, _options.Samples, Math.Round(_sampling.Temperature, 4),
            low?.Overall.Pass1 ?? double.NaN, rollout.Overall.Pass1, rollout.Overall.MajK, rollout.Overall.PassK, greedy?.Overall.Pass1 ?? double.NaN,
            top / (double)_records.Count, rollout.Overall.AbstainRate, clock.Elapsed.TotalSeconds);
    }
}
