using System.CommandLine;
using Google.Protobuf;
using Spectre.Console;

namespace MmUpt.Cli;

/// <summary>
/// <c>mmupt status</c>: asks running processes what they are and how they are doing (GetStatus + grpc.health.v1, the RPCs
/// grpcurl uses). One process: a table of its whole status; several <c>--address</c>es: one row each. Exit 0 only when
/// every process answers and reports SERVING (so it doubles as a container health check).
/// </summary>
public static class StatusCommands
{
    public static Command Status()
    {
        var host = new Option<string>("--host") { Description = "Host of the process (default 127.0.0.1).", HelpName = "HOST", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int?>("--port") { Description = "Port of the process (rollout 50051, vote 50052, learner 50053 by default).", HelpName = "PORT" };
        var address = new Option<string[]>("--address")
        {
            Description = "Address of a process, e.g. http://10.0.0.5:50051 (repeatable: one row per process).",
            HelpName = "URL",
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json") { Description = "Print the GetStatus reply as JSON (proto3 JSON mapping, defaults included)." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each answer (default 5).", HelpName = "S", DefaultValueFactory = _ => 5 };
        var command = new Command("status",
            "Show what a running mmupt process is and how it is doing: role, version, health, weights version, queues, throughput.\n\n" +
            "Examples:\n  mmupt status --port 50053\n  mmupt status --address http://10.0.0.5:50051 --address http://10.0.0.6:50051 --address http://10.0.0.7:50052")
        {
            host, port, address, json, timeout,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var given = parsed.GetValue(address) ?? [];
            if (given.Length > 0 && (parsed.GetResult(port) is { Implicit: false } || parsed.GetResult(host) is { Implicit: false }))
                return await CliRunner.UsageAsync("give either --host/--port or --address, not both");
            if (given.Length == 0 && parsed.GetValue(port) is null)
                return await CliRunner.UsageAsync("--port (or --address) is required: which process to ask");
            if (parsed.GetValue(timeout) is not (> 0 and <= 3600))
                return await CliRunner.UsageAsync("--timeout: give seconds in (0, 3600]");
            var addresses = new List<Uri>();
            foreach (var a in given.Length > 0 ? given : [$"http://{parsed.GetValue(host)}:{parsed.GetValue(port)}"])
            {
                if (!Uri.TryCreate(a, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Port is <= 0 or > 65535)
                    return await CliRunner.UsageAsync(given.Length > 0 ? $"--address: '{a}' is not an address like http://127.0.0.1:50051" : $"--host/--port: '{a}' is not a valid address");
                addresses.Add(uri);
            }
            if (parsed.GetValue(json) && addresses.Count > 1)
                return await CliRunner.UsageAsync("--json prints one process's reply: give one address");
            return await RunAsync(addresses, parsed.GetValue(json), TimeSpan.FromSeconds(parsed.GetValue(timeout)), ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(List<Uri> addresses, bool json, TimeSpan timeout, CancellationToken ct)
    {
        var results = await Task.WhenAll(addresses.Select(async a =>
        {
            try
            {
                return (a, await StatusProbe.AskAsync(a, timeout, ct), (string?)null);
            }
            catch (StatusProbeException ex)
            {
                return (a, (ProcessStatus?)null, ex.Message);
            }
        }));
        if (addresses.Count == 1)
        {
            var (_, status, error) = results[0];
            if (status is null) return await CliRunner.FailedAsync(error!);
            if (json) Console.WriteLine(new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true)).Format(status.Status));
            else Output().Write(StatusTable.Detail(status));
            return status.Serving ? CliRunner.Ok : await CliRunner.FailedAsync($"{StatusTable.Show(status.Address)} reports {status.Health}");
        }
        Output().Write(StatusTable.Summary(results));
        return results.All(r => r.Item2?.Serving == true) ? CliRunner.Ok : CliRunner.Failed;
    }

    // Piped into a file or grep there is no terminal width; wrapping addresses at 80 columns would break them.
    private static IAnsiConsole Output()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings());
        if (Console.IsOutputRedirected) console.Profile.Width = 240;
        return console;
    }
}
