namespace MmUpt.Learner.Training;

/// <summary>A scored group the learner will not train on; the message names the group and the field.</summary>
public sealed class InvalidGroupException(string groupId, string field, string detail)
    : Exception($"group \"{groupId}\": {field}: {detail}")
{
    public string GroupId { get; } = groupId;

    public string Field { get; } = field;
}
