using MmUpt.Core.Options;

namespace MmUpt.Core.Tests.Options;

public sealed class ConfigurationLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mmupt-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Flags_override_the_file()
    {
        var path = Write("""{ "Server": { "Port": 6000, "Host": "0.0.0.0" } }""");
        var config = ConfigurationLoader.Load(path, ["Server"], new Dictionary<string, string?> { ["Server:Port"] = "7000" });
        Assert.Equal("7000", config["Server:Port"]);
        Assert.Equal("0.0.0.0", config["Server:Host"]);
    }

    [Fact]
    public void Environment_overrides_the_file_and_flags_override_the_environment()
    {
        var path = Write("""{ "Server": { "Port": 6000, "Id": "from-file" } }""");
        Environment.SetEnvironmentVariable("MMUPT_Server__Id", "from-env");
        Environment.SetEnvironmentVariable("MMUPT_Server__Port", "6500");
        try
        {
            var config = ConfigurationLoader.Load(path, ["Server"], new Dictionary<string, string?> { ["Server:Port"] = "7000" });
            Assert.Equal("from-env", config["Server:Id"]);
            Assert.Equal("7000", config["Server:Port"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MMUPT_Server__Id", null);
            Environment.SetEnvironmentVariable("MMUPT_Server__Port", null);
        }
    }

    [Fact]
    public void Unknown_section_in_the_file_is_rejected()
    {
        var path = Write("""{ "Server": {}, "Sever": { "Port": 1 } }""");
        var ex = Assert.Throws<OptionsException>(() => ConfigurationLoader.Load(path, ["Server"], new Dictionary<string, string?>()));
        Assert.Equal("Sever", ex.Key);
    }

    [Fact]
    public void Unknown_section_in_the_environment_is_rejected()
    {
        Environment.SetEnvironmentVariable("MMUPT_Bogus__X", "1");
        try
        {
            var ex = Assert.Throws<OptionsException>(() => ConfigurationLoader.Load(null, ["Server", "Voting"], new Dictionary<string, string?>()));
            Assert.Equal("Bogus", ex.Key);
            Assert.Contains("MMUPT_Bogus__X", ex.Detail);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MMUPT_Bogus__X", null);
        }
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        var ex = Assert.Throws<OptionsException>(() =>
            ConfigurationLoader.Load(Path.Combine(_dir, "nope.json"), ["Server"], new Dictionary<string, string?>()));
        Assert.Equal("--config", ex.Key);
        Assert.Contains("not found", ex.Detail);
    }

    [Fact]
    public void A_folder_or_a_symlink_loop_as_the_file_is_reported()
    {
        var loop = Path.Combine(_dir, "loop.json");
        File.CreateSymbolicLink(loop, loop);
        var ex = Assert.Throws<OptionsException>(() => ConfigurationLoader.Load(loop, ["Server"], new Dictionary<string, string?>()));
        Assert.Equal("--config", ex.Key);
        ex = Assert.Throws<OptionsException>(() => ConfigurationLoader.Load(_dir, ["Server"], new Dictionary<string, string?>()));
        Assert.Contains("not found", ex.Detail);
    }

    [Fact]
    public void Malformed_json_is_reported()
    {
        var path = Write("""{ "Server": { "Port": 1, """);
        var ex = Assert.Throws<OptionsException>(() => ConfigurationLoader.Load(path, ["Server"], new Dictionary<string, string?>()));
        Assert.Contains("not valid JSON", ex.Detail);
    }
}
