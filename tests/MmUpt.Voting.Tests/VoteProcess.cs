using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using MmUpt.Contracts.V1;

namespace MmUpt.Voting.Tests;

/// <summary>The built <c>mmupt vote</c> as a child process on a data folder, with its client and its resident memory.</summary>
internal sealed partial class VoteProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private GrpcChannel? _channel;

    private VoteProcess(Process process) => _process = process;

    public static string Dll { get; } = typeof(VoteProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "MmuptDll").Value!;

    public VotingService.VotingServiceClient Client { get; private set; } = null!;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>mmupt vote --port 0 --data DIR</c> and waits until it prints the address it listens on.</summary>
    public static async Task<VoteProcess> StartAsync(string dataFolder)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Dll, "vote", "--port", "0", "--data", dataFolder, "--id", "drill" })
        {
            start.ArgumentList.Add(a);
        }
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var vote = new VoteProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } m)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (vote._stderr)
            {
                vote._stderr.AppendLine(e.Data);
            }
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"mmupt vote exited early: {vote.Stderr}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = await listening.Task.WaitAsync(TimeSpan.FromMinutes(2));
        vote._channel = GrpcChannel.ForAddress(address);
        vote.Client = new VotingService.VotingServiceClient(vote._channel);
        return vote;
    }

    /// <summary>Resident set size (VmRSS) in MiB, read from /proc.</summary>
    public double ResidentMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
            }
        }
        throw new InvalidOperationException("no VmRSS");
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
