using Google.Protobuf;
using Grpc.Core;

namespace MmUpt.Voting;

/// <summary>
/// Request marshallers that turn a message the protobuf runtime refuses into INVALID_ARGUMENT naming the problem, instead
/// of an exception that gRPC reports as UNKNOWN. Invalid UTF-8 is located by <see cref="Utf8Locator"/>. grpc-dotnet
/// reports an <see cref="RpcException"/> thrown while deserializing with its own status; for streams it surfaces from
/// the read, where <see cref="VotingGrpcService"/> counts it as a rejected sample.
/// </summary>
internal static class LenientMarshaller
{
    public static Marshaller<T> For<T>(MessageParser<T> parser) where T : IMessage<T> =>
        Marshallers.Create((T message) => message.ToByteArray(), payload => Parse(parser, payload));

    private static T Parse<T>(MessageParser<T> parser, byte[] payload) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or ArgumentException)
        {
            var descriptor = parser.ParseFrom([]).Descriptor;
            var where = Utf8Locator.Describe(ByteString.CopyFrom(payload), descriptor);
            throw new MalformedRequestException(where ?? $"{descriptor.Name} is not a valid message: {ex.Message}");
        }
    }
}
