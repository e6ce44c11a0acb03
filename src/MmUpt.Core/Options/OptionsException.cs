namespace MmUpt.Core.Options;

/// <summary>A configuration value is missing, unknown or out of range. <see cref="Key"/> names it as a configuration path.</summary>
public sealed class OptionsException(string key, string detail) : Exception($"{key}: {detail}")
{
    /// <summary>What is wrong, without the key.</summary>
    public string Detail { get; } = detail;

    /// <summary>The configuration path of the bad value, e.g. <c>Server:Port</c>.</summary>
    public string Key { get; } = key;
}
