using System.Net.Http;
using System.Net.Sockets;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using MmUpt.Contracts.V1;
using MmUpt.Hosting.Security;

namespace MmUpt.Cli;

/// <summary>
/// Asks a process what it is: the three GetStatus RPCs in turn (a process serves exactly one of them; the others are
/// UNIMPLEMENTED), then <c>grpc.health.v1</c>. The same RPCs grpcurl uses, so nothing is needed beyond what every
/// process already serves. Failures become one <see cref="StatusProbeException"/> line.
/// </summary>
public static class StatusProbe
{
    private static readonly Func<CallInvoker, CallOptions, Task<IMessage>>[] Asks =
    [
        async (c, o) => await new RolloutService.RolloutServiceClient(c).GetStatusAsync(new GetRolloutStatusRequest(), o),
        async (c, o) => await new VotingService.VotingServiceClient(c).GetStatusAsync(new GetVotingStatusRequest(), o),
        async (c, o) => await new LearnerService.LearnerServiceClient(c).GetStatusAsync(new GetLearnerStatusRequest(), o),
    ];

    public static async Task<ProcessStatus> AskAsync(Uri address, ChannelFactory channels, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var channel = channels.Create(address);
        var options = new CallOptions(deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);
        try
        {
            foreach (var ask in Asks)
            {
                try
                {
                    var status = await ask(channel.CreateCallInvoker(), options);
                    var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), options);
                    return new ProcessStatus(address, Info(status), status, health.Status);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
                {
                }
            }
        }
        catch (RpcException ex)
        {
            throw new StatusProbeException(Describe(address, timeout, ex));
        }
        throw new StatusProbeException($"{StatusTable.Show(address)} answers gRPC but is not an mmupt process (no RolloutService, VotingService or LearnerService)");
    }

    private static ProcessInfo Info(IMessage status) => status switch
    {
        RolloutStatus r => r.Process,
        VotingStatus v => v.Process,
        LearnerStatus l => l.Process,
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    private static string Describe(Uri uri, TimeSpan timeout, RpcException ex)
    {
        var address = StatusTable.Show(uri);
        var socket = Inner<SocketException>(ex);
        return (ex.StatusCode, socket?.SocketErrorCode) switch
        {
            (StatusCode.Unavailable, SocketError.ConnectionRefused) => $"nothing listens on {address}",
            (StatusCode.Unavailable, SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData) => $"cannot resolve host '{uri.Host}'",
            (StatusCode.DeadlineExceeded, _) => $"no answer from {address} within {timeout.TotalSeconds:0.#} s",
            (StatusCode.Cancelled, _) => "cancelled",
            (StatusCode.Unauthenticated, _) => $"{address} wants a bearer token: {ex.Status.Detail} (--token-file)",
            // An HTTP/1.1 server, a TLS port asked in plaintext, something that closes the connection.
            _ when Inner<HttpRequestException>(ex) is not null || ex.StatusCode is StatusCode.Internal or StatusCode.Unavailable or StatusCode.Unknown
                => $"{address} is not an mmupt process (no gRPC answer: {ex.Status.Detail})",
            _ => $"{address}: {ex.StatusCode}: {ex.Status.Detail}",
        };
    }

    private static T? Inner<T>(Exception ex) where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is T t) return t;
        }
        return null;
    }
}
