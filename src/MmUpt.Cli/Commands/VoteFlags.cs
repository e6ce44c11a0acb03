using System.CommandLine;
using MmUpt.Core.Options;
using MmUpt.Grading.Voting;
using MmUpt.Hosting;
using MmUpt.Hosting.Security;
using MmUpt.Learner;
using MmUpt.Rollout;
using MmUpt.Voting;

namespace MmUpt.Cli;

/// <summary>
/// The vote-mode flag of every command that votes (<c>vote</c>, <c>eval</c>, <c>grade</c>, <c>vote-offline</c>): one
/// spelling, values from <see cref="VoteModeNames"/>; and the training vote's options for commands outside the server.
/// </summary>
internal static class VoteFlags
{
    /// <summary>
    /// <c>--mode</c>. Commands that bind it into <c>Voting:Mode</c> leave the check to the options (the error names the
    /// key); <paramref name="restrict"/> lets the parser refuse other values for commands that do not.
    /// </summary>
    public static Option<string> Mode(string description, bool restrict = false)
    {
        var option = new Option<string>("--mode") { Description = description, HelpName = string.Join("|", VoteModeNames.All) };
        if (restrict)
        {
            option.AcceptOnlyFromAmong([.. VoteModeNames.All]);
        }
        return option;
    }

    /// <summary>
    /// The vote the voting service would use with this <c>--config</c> file (its <c>Voting</c> section, environment
    /// variables) and <c>--mode</c>; or null after printing one error line naming the key.
    /// </summary>
    public static async Task<VoteOptions?> ResolveAsync(string? configFile, string? mode)
    {
        var flags = new Dictionary<string, string?> { [$"{VotingOptions.Section}:{nameof(VotingOptions.Mode)}"] = mode };
        try
        {
            var configuration = ConfigurationLoader.Load(configFile,
                [ServerOptions.Section, SecurityOptions.Section, RolloutOptions.Section, VotingOptions.Section, LearnerOptions.Section], flags);
            return OptionsBinder.Bind(configuration, VotingOptions.Section, new VotingOptions()).ToVoteOptions();
        }
        catch (OptionsException ex)
        {
            var flag = ex.Key == $"{VotingOptions.Section}:{nameof(VotingOptions.Mode)}" ? $"--mode ({ex.Key}): {ex.Detail}" : ex.Message;
            await Console.Error.WriteLineAsync($"error: {flag}");
            return null;
        }
    }
}
