using Google.Protobuf;
using MmUpt.Contracts.V1;
using MmUpt.Data;

namespace MmUpt.Learner.Loop;

/// <summary>
/// Prompts from a dataset stream, rendered with the prompt template, epoch after epoch. With
/// <paramref name="withAnswers"/> false (UPT) the records' answers are never copied into the prompt, so nothing
/// downstream can read a label.
/// </summary>
public sealed class DatasetPromptSource(DatasetStream stream, PromptTemplate template, bool withAnswers) : IPromptSource
{
    private IAsyncEnumerator<DataRecord>? _records;

    public string Cursor => stream.Cursor.ToJson();

    public async Task<IReadOnlyList<Prompt>> NextAsync(int count, CancellationToken cancellationToken)
    {
        _records ??= stream.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var prompts = new List<Prompt>(count);
        while (prompts.Count < count)
        {
            if (!await _records.MoveNextAsync())
                throw new InvalidDataException($"the dataset has no readable rows left ({stream.SkippedRows} skipped)");
            var record = _records.Current;
            var spec = template.Render(record);
            var prompt = new Prompt { PromptId = spec.Id, Text = spec.Text };
            prompt.Images.AddRange(spec.Images.Select(i => new Image { Content = ByteString.CopyFrom(i.Bytes) }));
            if (withAnswers && record.Answer is { } answer) prompt.ReferenceAnswer = answer;
            prompts.Add(prompt);
        }
        return prompts;
    }
}
