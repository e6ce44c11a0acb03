using System.Diagnostics;
using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Contracts.V1;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// The decode loop of one batched generator. Each step: make ORT GenAI run the pending step (<c>OgaGenerator_GetLogits</c>,
/// whose copy is discarded), read the decoder's own logits (<c>GetOutput("logits")</c>: the values the learner's parity
/// test pins), sample every live row with <see cref="RowSampler"/>, and force those tokens through
/// <c>OgaGenerator_SetLogits</c> and a greedy <c>GenerateNextToken</c>. A row ends on a stop id (kept), at its group's
/// max new tokens, or when its caller cancels (reported ABORTED); its result is handed out that step. Finished rows are
/// fed an end-of-sequence id, which ORT GenAI pads from then on. The loop ends when every row has ended.
/// </summary>
internal sealed class BatchDecoder(Generator generator, IntPtr handle, IReadOnlyList<BatchRow> rows, int endToken,
    Func<int[], string> detokenize)
{
    private readonly List<int>[] _tokens = rows.Select(_ => new List<int>()).ToArray();
    private readonly List<float>[] _logProbs = rows.Select(_ => new List<float>()).ToArray();
    private readonly bool[] _done = new bool[rows.Count];

    public long Generated { get; private set; }

    public TimeSpan Run(TimeSpan prefill, int vocab)
    {
        var clock = Stopwatch.StartNew();
        using var forced = new ForcedLogits(rows.Count, vocab);
        var lengths = rows.Select(r => r.Prompt.TokenIds.Length).ToArray();
        for (var step = 0; ; step++)
        {
            if (step > 0)
            {
                OgaNative.Check(OgaNative.OgaGenerator_GetLogits(handle, out var copy), "GetLogits");
                OgaNative.OgaDestroyTensor(copy);
            }
            using (var logits = new LogitsView(generator.GetOutput("logits"), rows.Count, step == 0 ? lengths : null))
            {
                for (var b = 0; b < rows.Count; b++)
                {
                    forced.Choose(b, _done[b] ? endToken : Next(b, logits.Row(b), prefill, clock.Elapsed));
                }
            }
            if (_done.All(d => d))
            {
                return clock.Elapsed;
            }
            OgaNative.Check(OgaNative.OgaGenerator_SetLogits(handle, forced.Tensor), "SetLogits");
            generator.GenerateNextToken();
        }
    }

    private int Next(int b, ReadOnlySpan<float> logits, TimeSpan prefill, TimeSpan decode)
    {
        var row = rows[b];
        if (row.Cancellation.IsCancellationRequested)
        {
            Finish(b, FinishReason.Aborted, prefill, decode);
            return endToken;
        }
        var settings = row.Sampling.Settings;
        var token = RowSampler.Sample(logits, settings.Temperature, settings.TopK, settings.TopP, row.Sampling.Banned, row.Random.NextDouble(),
            out var logProb);
        _tokens[b].Add(token);
        _logProbs[b].Add(logProb);
        Generated++;
        if (row.Sampling.Stop.Contains(token))
        {
            Finish(b, FinishReason.Stop, prefill, decode);
        }
        else if (_tokens[b].Count >= settings.MaxNewTokens)
        {
            Finish(b, FinishReason.Length, prefill, decode);
        }
        return token;
    }

    private void Finish(int b, FinishReason reason, TimeSpan prefill, TimeSpan decode)
    {
        _done[b] = true;
        var tokens = _tokens[b].ToArray();
        rows[b].Finished(new RowResult(new SampledSequence(tokens, [.. _logProbs[b]], reason, detokenize(tokens)), prefill, decode));
    }
}
