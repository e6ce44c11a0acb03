using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using MmUpt.Contracts.V1;
using MmUpt.Core;

namespace MmUpt.Hosting;

/// <summary>The <see cref="ProcessInfo"/> every GetStatus reply starts with.</summary>
public sealed class ProcessInfoProvider(ProcessRole role, string instanceId, string device)
{
    private readonly Timestamp _start = Timestamp.FromDateTime(DateTime.UtcNow);
    private readonly Stopwatch _uptime = Stopwatch.StartNew();

    public ProcessRole Role { get; } = role;

    public string InstanceId { get; internal set; } = instanceId;

    public ProcessInfo Snapshot() => new()
    {
        Role = Role,
        Version = BuildInfo.Version,
        InstanceId = InstanceId,
        StartTime = _start,
        Uptime = Duration.FromTimeSpan(_uptime.Elapsed),
        Device = device,
        Accelerator = BuildInfo.Accelerator,
        HostName = Environment.MachineName,
    };
}
