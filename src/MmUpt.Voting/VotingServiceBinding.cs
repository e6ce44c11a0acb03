using Google.Protobuf;
using Grpc.Core;
using MmUpt.Contracts.V1;

namespace MmUpt.Voting;

/// <summary>
/// Binds <see cref="VotingGrpcService"/> as the generated <c>VotingService.BindService</c> does, except that Submit and
/// Score parse their requests with <see cref="LenientMarshaller"/>: a sample with invalid UTF-8 is an INVALID_ARGUMENT
/// naming its group, index and field. grpc-dotnet finds this through <see cref="BindServiceMethodAttribute"/> on the
/// service class; reflection still serves the generated descriptor.
/// </summary>
public static class VotingServiceBinding
{
    private static readonly string Service = VotingService.Descriptor.FullName;

    // The parameter is the generated base type: grpc-dotnet matches handlers by the methods they override on it.
    public static void BindService(ServiceBinderBase binder, VotingService.VotingServiceBase? service)
    {
        binder.AddMethod(Method(MethodType.ClientStreaming, "Submit", LenientMarshaller.For(SubmitRequest.Parser), SubmitResponse.Parser),
            service is null ? null : service.Submit);
        binder.AddMethod(Method(MethodType.ServerStreaming, "Subscribe", Strict(SubscribeRequest.Parser), ScoredGroup.Parser),
            service is null ? null : service.Subscribe);
        binder.AddMethod(Method(MethodType.Unary, "Acknowledge", Strict(AcknowledgeRequest.Parser), AcknowledgeResponse.Parser),
            service is null ? null : service.Acknowledge);
        binder.AddMethod(Method(MethodType.Unary, "Score", LenientMarshaller.For(ScoreRequest.Parser), ScoreResponse.Parser),
            service is null ? null : service.Score);
        binder.AddMethod(Method(MethodType.Unary, "GetStatus", Strict(GetVotingStatusRequest.Parser), VotingStatus.Parser),
            service is null ? null : service.GetStatus);
    }

    private static Method<TRequest, TResponse> Method<TRequest, TResponse>(MethodType type, string name, Marshaller<TRequest> request,
        MessageParser<TResponse> response) where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse> =>
        new(type, Service, name, request, Strict(response));

    private static Marshaller<T> Strict<T>(MessageParser<T> parser) where T : IMessage<T> =>
        Marshallers.Create((T message) => message.ToByteArray(), parser.ParseFrom);
}
