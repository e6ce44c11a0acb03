using Grpc.Core;

namespace MmUpt.Voting;

/// <summary>A request the protobuf parser refused (INVALID_ARGUMENT); its own type so the service can count it as rejected.</summary>
internal sealed class MalformedRequestException(string message) : RpcException(new Status(StatusCode.InvalidArgument, message));
