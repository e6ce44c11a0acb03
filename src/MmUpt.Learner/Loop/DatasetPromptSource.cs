using Google.Protobuf;
using MmUpt.Contracts.V1;
using MmUpt.Data;

namespace MmUpt.Learner.Loop;

/// <summary>
/// Prompts from a dataset stream, rendered with the prompt template, shuffled epoch after epoch from the run's seed and
/// resumable from a saved cursor. With <paramref name="withAnswers"/> false (UPT) the records' answers are never copied
/// into the prompt, so nothing downstream can read a label.
/// </summary>
public sealed class DatasetPromptSource(IDatasetReader reader, DatasetStream stream, PromptTemplate template, bool withAnswers) : IPromptSource, IAsyncDisposable
{
    private IAsyncEnumerator<DataRecord>? _records;

    public string Cursor => stream.Cursor.ToJson();

    /// <summary>Opens <paramref name="path"/> at the start of a seeded order, or at <paramref name="cursor"/> (JSON) when given.</summary>
    public static async Task<DatasetPromptSource> OpenAsync(string path, long seed, string? cursor, bool withAnswers, CancellationToken cancellationToken)
    {
        var reader = await DatasetReaders.OpenAsync(path, cancellationToken);
        var options = new DatasetStreamOptions { Seed = seed, Shuffle = true, Epochs = null };
        var stream = string.IsNullOrEmpty(cursor)
            ? DatasetStream.Start(reader, options)
            : DatasetStream.Resume(reader, options, DatasetCursor.FromJson(cursor));
        return new DatasetPromptSource(reader, stream, new PromptTemplate(), withAnswers);
    }

    /// <summary>The next <paramref name="count"/> records (SFT reads records with their answers).</summary>
    public async Task<IReadOnlyList<DataRecord>> NextRecordsAsync(int count, CancellationToken cancellationToken)
    {
        _records ??= stream.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var records = new List<DataRecord>(count);
        while (records.Count < count)
        {
            if (!await _records.MoveNextAsync())
                throw new InvalidDataException($"{reader.Path}: no readable rows left ({stream.SkippedRows} skipped)");
            records.Add(_records.Current);
        }
        return records;
    }

    public async Task<IReadOnlyList<Prompt>> NextAsync(int count, CancellationToken cancellationToken)
    {
        var prompts = new List<Prompt>(count);
        foreach (var record in await NextRecordsAsync(count, cancellationToken))
        {
            var spec = template.Render(record);
            var prompt = new Prompt { PromptId = spec.Id, Text = spec.Text };
            prompt.Images.AddRange(spec.Images.Select(i => new Image { Content = ByteString.CopyFrom(i.Bytes) }));
            if (withAnswers && record.Answer is { } answer) prompt.ReferenceAnswer = answer;
            prompts.Add(prompt);
        }
        return prompts;
    }

    public async ValueTask DisposeAsync()
    {
        if (_records is not null) await _records.DisposeAsync();
        await reader.DisposeAsync();
    }
}
