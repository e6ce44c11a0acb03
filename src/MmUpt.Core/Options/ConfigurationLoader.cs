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
            builder.AddJsonFile(path, optional: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(flags.Where(kv => kv.Value is not null));
        return builder.Build();
    }
}
