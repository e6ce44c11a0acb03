using Grpc.Core;

namespace MmUpt.Learner.Loop;

/// <summary>Which failures of a call count against a replica (open its circuit): it is down, slow, overloaded or broken.</summary>
public static class GrpcFaults
{
    public static bool IsReplicaFault(Exception e) => e switch
    {
        RpcException r => r.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal
            or StatusCode.Unknown or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.DataLoss,
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>A failure in one line: the status code and detail of an RPC error (not its debug exception dump).</summary>
    public static string Describe(Exception e) => e is RpcException r ? $"{r.StatusCode}: {r.Status.Detail}" : e.Message;

    /// <summary>FAILED_PRECONDITION from Generate: the replica does not have the asked weights version (it restarted).</summary>
    public static bool IsBehind(Exception e) => e is RpcException { StatusCode: StatusCode.FailedPrecondition };
}
