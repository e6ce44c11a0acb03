using Grpc.Core;
using Grpc.Core.Interceptors;

namespace MmUpt.Hosting.Security;

/// <summary>
/// Refuses every call without the deployment's bearer token with UNAUTHENTICATED, before the service sees it.
/// <c>grpc.health.v1.Health</c> stays open: Kubernetes' gRPC probes and container health checks send no credentials.
/// </summary>
internal sealed class TokenInterceptor(BearerToken token) : Interceptor
{
    private const string OpenService = "/grpc.health.v1.Health/";

    private void Check(ServerCallContext context)
    {
        if (context.Method.StartsWith(OpenService, StringComparison.Ordinal)) return;
        var header = context.RequestHeaders.GetValue(BearerToken.Header);
        if (token.Accepts(header)) return;
        throw new RpcException(new Status(StatusCode.Unauthenticated, header is null
            ? "missing bearer token: send 'authorization: Bearer TOKEN' (the token of Security:TokenFile)"
            : "wrong bearer token (authorization header): it is not the token of Security:TokenFile"));
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, responseStream, context);
    }
}
