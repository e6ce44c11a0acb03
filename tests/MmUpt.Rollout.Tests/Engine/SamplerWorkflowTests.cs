using MmUpt.Core;
using MmUpt.Data;
using MmUpt.Evaluation;
using MmUpt.Rollout.Engine;
using MmUpt.Sampling;
using MmUpt.SelfGeneration;

namespace MmUpt.Rollout.Tests.Engine;

/// <summary>`mmupt eval` and `mmupt synth` end to end on the tiny exported model through the <see cref="ISampler"/> seam.</summary>
public sealed class SamplerWorkflowTests(TinyExport tiny) : IClassFixture<TinyExport>, IAsyncLifetime, IDisposable
{
    private readonly OrtGenAiEngine _engine = OrtGenAiEngine.Load(tiny.Folder, DeviceSpec.Cpu);
    private string _data = "";

    public async Task InitializeAsync()
    {
        _data = Path.Combine(tiny.Root, "data");
        if (!Directory.Exists(_data))
        {
            await SyntheticSetWriter.WriteAsync(_data, new SyntheticSetOptions { SftCount = 4, UptCount = 2, EvalCount = 5 });
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _engine.Dispose();

    private static SamplingSettings Settings => new() { Temperature = 1f, TopP = 1f, MaxNewTokens = 10, Seed = 4 };

    private static async IAsyncEnumerable<DataRecord> Read(string path)
    {
        var stream = DatasetStream.Start(await DatasetReaders.OpenAsync(path), new DatasetStreamOptions { Shuffle = false, Epochs = 1 });
        await foreach (var r in stream.ReadAsync())
        {
            yield return r;
        }
    }

    [Fact]
    public async Task More_samples_than_one_batch_come_back_complete_and_reproducible()
    {
        var sampler = new OrtGenAiSampler(_engine);
        var prompt = new PromptTemplate().RenderRaw("p", "count the shapes", []);
        var first = await sampler.SampleAsync(prompt, 40, Settings);
        var again = await sampler.SampleAsync(prompt, 40, Settings);
        Assert.Equal(40, first.Count);
        Assert.Equal(first.Select(s => s.Text), again.Select(s => s.Text));
        Assert.All(first, s => Assert.InRange(s.TokenCount, 1, 10));
        // Batch 2 (samples 32..39) has its own seed: it must not repeat batch 1's first rows.
        Assert.NotEqual(first.Take(8).Select(s => s.Text), first.Skip(32).Select(s => s.Text));
    }

    [Fact]
    public async Task Eval_samples_K_answers_per_labelled_problem_and_scores_them()
    {
        var runner = new EvalRunner(new OrtGenAiSampler(_engine), new PromptTemplate());
        var outcomes = await runner.RunAsync(Read(Path.Combine(_data, "eval.jsonl")), 3, Settings);
        Assert.Equal(5, outcomes.Count);
        Assert.All(outcomes, o =>
        {
            Assert.Equal(3, o.Samples.Count);
            Assert.NotEmpty(o.PromptText);
            Assert.NotNull(o.Reference);
        });
        var report = EvalRunner.Score(outcomes, MmUpt.Grading.Voting.VoteOptions.Faithful);
        Assert.Equal(5, report.Overall.Problems);
        Assert.Equal(3, report.SamplesPerProblem);
    }

    [Theory]
    [InlineData(SynthStrategy.InContext, "sft.jsonl")]
    [InlineData(SynthStrategy.Direct, "upt.jsonl")]
    // A random-init model rarely writes a clean question, so how many are accepted is not asserted: every sampled
    // question must get a verdict, and what is written must read back and pass the filter again.
    public async Task Synth_writes_a_dataset_the_readers_take_and_counts_every_question(SynthStrategy strategy, string seeds)
    {
        var filter = new QuestionFilter();
        var output = Path.Combine(tiny.Root, $"synth-{strategy}.jsonl");
        int used;
        await using (var writer = new JsonlDatasetWriter(output))
        {
            used = await new SynthRunner(new OrtGenAiSampler(_engine), new PromptTemplate(), strategy, filter)
                .RunAsync(Read(Path.Combine(_data, seeds)), 8, Settings with { MaxNewTokens = 48 }, (r, c) => writer.WriteAsync(r, null, c));
        }
        Assert.Equal(used * 8, filter.Counts.Values.Sum());
        var rows = new List<DataRecord>();
        await foreach (var r in Read(output))
        {
            rows.Add(r);
        }
        Assert.Equal(filter.Counts[FilterReason.Accepted], rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Null(r.Answer);
            Assert.Single(r.Images);
            Assert.Equal(FilterReason.Accepted, QuestionFilter.Classify(r.Problem.Replace(DataRecord.ImagePlaceholder, ""), "", null,
                new HashSet<string>(), new QuestionFilterOptions()));
        });
    }
}
