using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using MmUpt.Core.Options;

namespace MmUpt.Core.Tests.Options;

public sealed class OptionsBinderTests
{
    private sealed class SampleOptions
    {
        [Range(1, 32)]
        public int GroupSize { get; set; } = 10;

        [Device]
        public string Device { get; set; } = "cpu";

        [HttpAddress]
        public string Voting { get; set; } = "http://127.0.0.1:50052";

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Defaults_survive_when_nothing_is_configured()
    {
        var options = OptionsBinder.Bind<SampleOptions>(Config(), "S");
        Assert.Equal(10, options.GroupSize);
        Assert.Equal("cpu", options.Device);
    }

    [Fact]
    public void Values_bind_with_types_and_durations()
    {
        var options = OptionsBinder.Bind<SampleOptions>(Config(("S:GroupSize", "16"), ("S:Timeout", "00:01:30")), "S");
        Assert.Equal(16, options.GroupSize);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Timeout);
    }

    [Fact]
    public void Out_of_range_value_names_the_key()
    {
        var ex = Assert.Throws<OptionsException>(() => OptionsBinder.Bind<SampleOptions>(Config(("S:GroupSize", "33")), "S"));
        Assert.Equal("S:GroupSize", ex.Key);
        Assert.Contains("between 1 and 32", ex.Detail);
    }

    [Fact]
    public void Unknown_key_is_rejected_and_named()
    {
        var ex = Assert.Throws<OptionsException>(() => OptionsBinder.Bind<SampleOptions>(Config(("S:GroupSzie", "8")), "S"));
        Assert.Contains("GroupSzie", ex.Message);
    }

    [Fact]
    public void Unparsable_value_is_rejected_and_named()
    {
        var ex = Assert.Throws<OptionsException>(() => OptionsBinder.Bind<SampleOptions>(Config(("S:GroupSize", "ten")), "S"));
        Assert.Contains("GroupSize", ex.Message);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    [InlineData("")]
    public void Bad_device_is_rejected(string device)
    {
        var ex = Assert.Throws<OptionsException>(() => OptionsBinder.Bind<SampleOptions>(Config(("S:Device", device)), "S"));
        Assert.Equal("S:Device", ex.Key);
    }

    [Fact]
    public void Cuda_device_is_refused_by_a_cpu_build_with_the_rebuild_hint()
    {
        Assert.Equal("cpu", BuildInfo.Accelerator);
        var ex = Assert.Throws<OptionsException>(() => OptionsBinder.Bind<SampleOptions>(Config(("S:Device", "cuda:1")), "S"));
        Assert.Contains("-p:Accelerator=cuda", ex.Detail);
    }

    [Theory]
    [InlineData("127.0.0.1:50052")]
    [InlineData("ftp://host:1")]
    [InlineData("http://")]
    public void Bad_address_is_rejected(string address)
    {
        var ex = Assert.Throws<OptionsException>(() => OptionsBinder.Bind<SampleOptions>(Config(("S:Voting", address)), "S"));
        Assert.Equal("S:Voting", ex.Key);
    }
}
