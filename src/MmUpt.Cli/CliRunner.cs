using System.CommandLine;
using MmUpt.Core.Options;

namespace MmUpt.Cli;

/// <summary>Parses and runs a command line with the exit codes every subcommand shares.</summary>
public static class CliRunner
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The work failed at run time (a port in use, an engine error).</summary>
    public const int Failed = 1;

    /// <summary>Bad usage: unknown flag, unparsable value, invalid option. One line names the option.</summary>
    public const int Usage = 2;

    /// <summary>Marks a failure no handler anticipated (tests look for it).</summary>
    public const string InternalErrorPrefix = "unexpected failure";

    /// <summary>Prints <c>error: MESSAGE</c> on stderr and returns <see cref="Usage"/>.</summary>
    public static async Task<int> UsageAsync(string message)
    {
        await Console.Error.WriteLineAsync($"error: {message}");
        return Usage;
    }

    /// <summary>Prints <c>error: MESSAGE</c> on stderr and returns <see cref="Failed"/>.</summary>
    public static async Task<int> FailedAsync(string message)
    {
        await Console.Error.WriteLineAsync($"error: {message}");
        return Failed;
    }

    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }
            await Console.Error.WriteLineAsync($"see: {string.Join(' ', CommandPath(parsed).Prepend("mmupt"))} --help");
            return Usage;
        }
        try
        {
            // Hosts handle SIGINT/SIGTERM themselves (graceful gRPC shutdown), so the parser must not. Exceptions come
            // here rather than to System.CommandLine's handler, which prints the stack trace.
            return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
        }
        catch (OptionsException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return Usage;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("error: cancelled");
            return Failed;
        }
        catch (Exception ex)
        {
            // Every expected bad input is reported where it is met, naming the file and row; this line means a case was
            // missed. It keeps the one-line contract and names the exception type so the case can be found.
            await Console.Error.WriteLineAsync($"error: {InternalErrorPrefix} ({ex.GetType().Name}): {ex.Message}");
            return Failed;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parsed)
    {
        var names = new Stack<string>();
        for (var r = parsed.CommandResult; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
        {
            names.Push(r.Command.Name);
        }
        return names;
    }
}
