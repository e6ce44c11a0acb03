namespace MmUpt.Voting;

/// <summary>One attempt of one group: the unit that is completed, scored, delivered and acknowledged.</summary>
public readonly record struct GroupAttempt(string GroupId, uint Attempt)
{
    public override string ToString() => $"{GroupId}#{Attempt}";
}
