using Microsoft.Extensions.Configuration;

namespace MmUpt.Core.Options;

/// <summary>
/// Builds a process's configuration. Later layers win: the options' defaults, then the <c>--config</c> JSON file, then
/// environment variables prefixed <c>MMUPT_</c> (<c>MMUPT_Server__Port=50061</c>), then command-line flags.
/// </summary>
public static class ConfigurationLoader
{
    public const string EnvironmentPrefix = "MMUPT_";

    /// <param name="configFile">Optional JSON file; a missing or malformed file is an <see cref="OptionsException"/>.</param>
    /// <param name="knownSections">Top-level sections this process reads; any other section in the file is rejected.</param>
    /// <param name="flags">Values given as flags, by configuration path; null values are skipped.</param>
    public static IConfiguration Load(string? configFile, IReadOnlyCollection<string> knownSections,
        IReadOnlyDictionary<string, string?> flags)
    {
        var builder = new ConfigurationBuilder();
        if (!string.IsNullOrEmpty(configFile))
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                throw new OptionsException("--config", $"file not found: {path}");
            }
            try
            {
                var fileConfig = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();
                foreach (var section in fileConfig.GetChildren())
                {
                    if (!knownSections.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
                    {
                        throw new OptionsException(section.Key,
                            $"unknown section in {Path.GetFileName(path)}; known: {string.Join(", ", knownSections)}");
                    }
                }
            }
            catch (InvalidDataException ex)
            {
                throw new OptionsException("--config", $"{path} is not valid JSON: {ex.InnerException?.Message ?? ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // E.g. a symlink loop, which File.Exists does not see.
                throw new OptionsException("--config", $"cannot read {path}: {ex.Message}");
            }
            builder.AddJsonFile(path, optional: false);
        }
        RejectUnknownEnvironmentSections(knownSections);
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(flags.Where(kv => kv.Value is not null));
        return builder.Build();
    }

    // MMUPT_Bogus__X=1 would otherwise be read into a section nobody binds, and a typo'd section silently ignored.
    private static void RejectUnknownEnvironmentSections(IReadOnlyCollection<string> knownSections)
    {
        var environment = new ConfigurationBuilder().AddEnvironmentVariables(EnvironmentPrefix).Build();
        foreach (var section in environment.GetChildren())
        {
            if (!knownSections.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
            {
                var variable = Environment.GetEnvironmentVariables().Keys.Cast<string>()
                    .FirstOrDefault(k => k.StartsWith($"{EnvironmentPrefix}{section.Key}", StringComparison.OrdinalIgnoreCase));
                throw new OptionsException(section.Key,
                    $"unknown section in environment variable {variable ?? EnvironmentPrefix + section.Key}; known: {string.Join(", ", knownSections)}");
            }
        }
    }
}
