using System.Text;
using System.Text.Unicode;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using MmUpt.Contracts.V1;

namespace MmUpt.Voting;

/// <summary>
/// Finds the string field that holds invalid UTF-8 in a serialized message (Google.Protobuf refuses such a message as a
/// whole, without saying where), by walking the wire format with the message's descriptor. The result names the sample
/// (group, attempt, index; the group id decoded leniently when it is the bad field) and the field path.
/// </summary>
internal static class Utf8Locator
{
    private const int MaxDepth = 16;

    /// <summary>"sample g#a[i]: response_text is not valid UTF-8", or null when every string is valid.</summary>
    public static string? Describe(ByteString payload, MessageDescriptor descriptor)
    {
        var found = Find(payload, descriptor, "", 0);
        if (found is not var (path, sample) || path is null)
        {
            return null;
        }
        return sample is null ? $"{path} is not valid UTF-8" : $"{Identify(sample)}: {path} is not valid UTF-8";
    }

    private static (string? Path, ByteString? Sample)? Find(ByteString data, MessageDescriptor descriptor, string prefix, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        var input = data.CreateCodedInput();
        var counts = new Dictionary<int, int>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            var field = descriptor.FindFieldByNumber(number);
            if (field is null || WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited
                || field.FieldType is not (FieldType.String or FieldType.Message))
            {
                input.SkipLastField();
                continue;
            }
            var bytes = input.ReadBytes();
            var index = counts[number] = counts.GetValueOrDefault(number, -1) + 1;
            var path = prefix + field.Name + (field.IsRepeated ? $"[{index}]" : "");
            if (field.FieldType == FieldType.String)
            {
                if (!Utf8.IsValid(bytes.Span))
                {
                    return (path, null);
                }
                continue;
            }
            var inner = field.MessageType == Sample.Descriptor ? "" : path + ".";
            if (Find(bytes, field.MessageType, inner, depth + 1) is { } found)
            {
                return field.MessageType == Sample.Descriptor && found.Sample is null ? (found.Path, bytes) : found;
            }
        }
        return null;
    }

    // "sample g#a[i]" read from the sample's own bytes, without trusting its strings.
    private static string Identify(ByteString sample)
    {
        var input = sample.CreateCodedInput();
        var (group, attempt, index) = ("", 0u, 0u);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))
            {
                case (Sample.GroupIdFieldNumber, WireFormat.WireType.LengthDelimited):
                    group = Encoding.UTF8.GetString(input.ReadBytes().Span);
                    break;
                case (Sample.AttemptFieldNumber, WireFormat.WireType.Varint):
                    attempt = input.ReadUInt32();
                    break;
                case (Sample.IndexFieldNumber, WireFormat.WireType.Varint):
                    index = input.ReadUInt32();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return $"sample {group}#{attempt}[{index}]";
    }
}
