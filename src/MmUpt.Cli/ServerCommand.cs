using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using MmUpt.Core.Options;
using MmUpt.Hosting;
using MmUpt.Hosting.Security;

namespace MmUpt.Cli;

/// <summary>
/// A subcommand that starts one gRPC process: it layers defaults, <c>--config</c>, <c>MMUPT_*</c> environment variables
/// and flags into <see cref="ServerOptions"/>, <see cref="SecurityOptions"/> and the role's <typeparamref name="TOptions"/>,
/// validates them, then runs.
/// </summary>
public sealed class ServerCommand<TOptions> where TOptions : class, new()
{
    private readonly Command _command;
    private readonly string _section;
    private readonly int _defaultPort;
    private readonly Func<ServerOptions, SecurityOptions, TOptions, WebApplication> _build;
    private readonly List<(Option Option, string Key)> _flags = [];
    private readonly Option<string> _config = CommonOptions.Config();
    private readonly Option<bool> _dryRun = CommonOptions.DryRun();

    public ServerCommand(string name, string description, string section, int defaultPort,
        Func<ServerOptions, SecurityOptions, TOptions, WebApplication> build)
    {
        _command = new Command(name, description);
        _section = section;
        _defaultPort = defaultPort;
        _build = build;
        Flag(CommonOptions.Host(), $"{ServerOptions.Section}:{nameof(ServerOptions.Host)}");
        Flag(CommonOptions.Port(defaultPort), $"{ServerOptions.Section}:{nameof(ServerOptions.Port)}");
        Flag(CommonOptions.MetricsPort(), $"{ServerOptions.Section}:{nameof(ServerOptions.MetricsPort)}");
        Flag(CommonOptions.Id(), $"{ServerOptions.Section}:{nameof(ServerOptions.Id)}");
        foreach (var (option, key) in SecurityFlags.All(serving: true))
        {
            _flags.Add((option, key));
            _command.Options.Add(option);
        }
        _command.Options.Add(_config);
        _command.Options.Add(_dryRun);
    }

    /// <summary>Adds a flag that sets the configuration key <paramref name="key"/> when given.</summary>
    public ServerCommand<TOptions> Flag<T>(Option<T> option, string key)
    {
        _flags.Add((option, key));
        _command.Options.Add(option);
        return this;
    }

    public Command Build()
    {
        _command.SetAction((parsed, cancellationToken) => RunAsync(parsed, cancellationToken));
        return _command;
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (option, key) in _flags)
        {
            var result = parsed.GetResult(option);
            if (result is not null && !result.Implicit)
            {
                values[key] = Convert.ToString(result.GetValueOrDefault<object?>(), CultureInfo.InvariantCulture);
            }
        }
        ServerOptions server;
        SecurityOptions security;
        TOptions options;
        try
        {
            var configuration = ConfigurationLoader.Load(parsed.GetValue(_config), [ServerOptions.Section, SecurityOptions.Section, _section], values);
            server = OptionsBinder.Bind(configuration, ServerOptions.Section, new ServerOptions { Port = _defaultPort });
            security = OptionsBinder.Bind(configuration, SecurityOptions.Section, new SecurityOptions());
            options = OptionsBinder.Bind(configuration, _section, new TOptions());
        }
        catch (OptionsException ex)
        {
            return await UsageAsync(ex);
        }
        if (parsed.GetValue(_dryRun))
        {
            // The token itself is printed redacted (SecurityOptions.Token).
            var resolved = new Dictionary<string, object> { [ServerOptions.Section] = server, [SecurityOptions.Section] = security, [_section] = options };
            Console.WriteLine(JsonSerializer.Serialize(resolved, new JsonSerializerOptions { WriteIndented = true }));
            return CliRunner.Ok;
        }
        WebApplication app;
        try
        {
            app = _build(server, security, options);   // resolves --host, loads the certificates and the token
        }
        catch (OptionsException ex)
        {
            return await UsageAsync(ex);
        }
        await using (app)
        {
            return await GrpcServerHost.RunAsync(app, cancellationToken);
        }
    }

    private async Task<int> UsageAsync(OptionsException ex)
    {
        var flag = _flags.FirstOrDefault(f => string.Equals(f.Key, ex.Key, StringComparison.OrdinalIgnoreCase)).Option;
        await Console.Error.WriteLineAsync(flag is null ? $"error: {ex.Message}" : $"error: {flag.Name} ({ex.Key}): {ex.Detail}");
        return CliRunner.Usage;
    }
}
