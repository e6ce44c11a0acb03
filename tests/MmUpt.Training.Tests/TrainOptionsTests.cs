using Microsoft.Extensions.Configuration;
using MmUpt.Core.Options;
using MmUpt.Training.Loop;

namespace MmUpt.Training.Tests;

public sealed class TrainOptionsTests
{
    private static TrainOptions Bind(Dictionary<string, string?> values) =>
        OptionsBinder.Bind<TrainOptions>(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), TrainOptions.Section);

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Train:Checkpoint"] = "ckpt",
        ["Train:Stages:0:Kind"] = "Sft",
        ["Train:Stages:0:Data"] = "sft.jsonl",
        ["Train:Stages:1:Kind"] = "upt",
        ["Train:Stages:1:Data"] = "upt.jsonl",
        ["Train:Stages:1:Steps"] = "3",
        ["Train:Replicas:Addresses:0"] = "http://127.0.0.1:50051",
        ["Train:Replicas:CallDeadline"] = "00:00:30",
    };

    [Fact]
    public void A_recipe_binds_with_its_stages_in_order()
    {
        var o = Bind(Valid());
        Assert.Equal([StageKind.Sft, StageKind.Upt], o.Stages.Select(s => s.Kind));
        Assert.Equal(3, o.Stages[1].Steps);
        Assert.Equal(TimeSpan.FromSeconds(30), o.Replicas.CallDeadline);
    }

    [Theory]
    [InlineData("Train:Stages:1:Data", "", "Train:Stages:1:Data")]
    [InlineData("Train:Stages:0:Steps", "0", "Train:Stages:0:Steps")]
    [InlineData("Train:Replicas:Addresses:0", "127.0.0.1:50051", "Train:Replicas:Addresses:0")]
    [InlineData("Train:GroupSize", "1", "Train:GroupSize")]
    [InlineData("Train:Mode", "Async", "Train:MaxStaleness", "Train:MaxStaleness", "0")]
    public void A_bad_value_names_its_key(string key, string value, string named, string? key2 = null, string? value2 = null)
    {
        var values = Valid();
        values[key] = value;
        if (key2 is not null) values[key2] = value2;
        var ex = Assert.Throws<OptionsException>(() => Bind(values));
        Assert.Equal(named, ex.Key);
    }

    [Fact]
    public void Unknown_keys_are_rejected()
    {
        var values = Valid();
        values["Train:Stages:0:Stepz"] = "4";
        var ex = Assert.Throws<OptionsException>(() => Bind(values));
        Assert.Contains("Stepz", ex.Message);
    }

    [Fact]
    public void No_replicas_is_an_error_naming_the_addresses()
    {
        var values = Valid();
        values.Remove("Train:Replicas:Addresses:0");
        Assert.Equal("Train:Replicas:Addresses", Assert.Throws<OptionsException>(() => Bind(values)).Key);
    }

    [Theory]
    [InlineData("Train:Eval:FeedsGuard", "true", "dev.jsonl", "Train:Eval:FeedsGuard")]
    [InlineData("Train:Eval:Limit", "10", "eval.jsonl", "Train:Dev:Data")]
    public void The_guard_has_one_dev_source_and_it_is_not_the_held_out_set(string key, string value, string dev, string named)
    {
        var values = Valid();
        values["Train:Eval:Data"] = "eval.jsonl";
        values["Train:Dev:Data"] = dev;
        values[key] = value;
        Assert.Equal(named, Assert.Throws<OptionsException>(() => Bind(values)).Key);
        values[key] = null;
        values["Train:Dev:Data"] = "dev.jsonl";
        Assert.Equal("dev.jsonl", Bind(values).Dev.Data);
    }
}
