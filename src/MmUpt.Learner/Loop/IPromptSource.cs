using MmUpt.Contracts.V1;

namespace MmUpt.Learner.Loop;

/// <summary>The step loop's prompts, B at a time, from a resumable dataset cursor. A UPT source never carries answers.</summary>
public interface IPromptSource
{
    Task<IReadOnlyList<Prompt>> NextAsync(int count, CancellationToken cancellationToken);

    /// <summary>The cursor to save in a checkpoint (JSON).</summary>
    string Cursor { get; }
}
