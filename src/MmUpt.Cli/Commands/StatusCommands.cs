using System.CommandLine;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using MmUpt.Core.Options;
using MmUpt.Hosting.Security;
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
        var security = SecurityFlags.All(serving: false);
        var command = new Command("status",
            "Show what a running mmupt process is and how it is doing: role, version, health, weights version, queues, throughput.\n\n" +
            "Examples:\n  mmupt status --port 50053\n  mmupt status --address http://10.0.0.5:50051 --address http://10.0.0.6:50051 --address http://10.0.0.7:50052\n" +
            "  mmupt status --address https://mmupt-learner:50053 --tls-ca ca.crt --token-file token")
        {
            host, port, address, json, timeout,
        };
        foreach (var (option, _) in security) command.Options.Add(option);
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
            ChannelFactory channels;
            try
            {
                channels = new ChannelFactory(Credentials(parsed, security));
            }
            catch (OptionsException ex)
            {
                var flag = security.FirstOrDefault(f => f.Key == ex.Key).Option;
                return await CliRunner.UsageAsync(flag is null ? ex.Message : $"{flag.Name} ({ex.Key}): {ex.Detail}");
            }
            return await RunAsync(addresses, channels, parsed.GetValue(json), TimeSpan.FromSeconds(parsed.GetValue(timeout)), ct);
        });
        return command;
    }

    /// <summary>
    /// The flags over the <c>MMUPT_Security__*</c> variables, so a container's health check (<c>mmupt status</c>) uses the
    /// credentials of the server beside it. Other sections' variables are not this command's business and not checked.
    /// </summary>
    private static SecurityOptions Credentials(ParseResult parsed, IReadOnlyList<(Option Option, string Key)> flags)
    {
        var given = flags.Select(f => (f.Key, Value: parsed.GetResult(f.Option) is { Implicit: false } r ? r.GetValueOrDefault<string>() : null))
            .Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value);
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables(ConfigurationLoader.EnvironmentPrefix).AddInMemoryCollection(given).Build();
        return OptionsBinder.Bind(configuration, SecurityOptions.Section, new SecurityOptions());
    }

    private static async Task<int> RunAsync(List<Uri> addresses, ChannelFactory channels, bool json, TimeSpan timeout, CancellationToken ct)
    {
        var results = await Task.WhenAll(addresses.Select(async a =>
        {
            try
            {
                return (a, await StatusProbe.AskAsync(a, channels, timeout, ct), (string?)null);
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
