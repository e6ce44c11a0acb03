using MmUpt.Core.Options;

namespace MmUpt.Core.Tests.Options;

public sealed class ExistingDirectoryAttributeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mmupt-dir-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class WithFolder
    {
        [ExistingDirectory]
        public string? Model { get; set; }
    }

    [Fact]
    public void An_existing_folder_or_no_value_passes()
    {
        OptionsBinder.Validate(new WithFolder { Model = _dir }, "Rollout");
        OptionsBinder.Validate(new WithFolder { Model = null }, "Rollout");
        OptionsBinder.Validate(new WithFolder { Model = "" }, "Rollout");
    }

    [Fact]
    public void A_missing_folder_or_a_file_is_rejected_naming_the_key()
    {
        var ex = Assert.Throws<OptionsException>(() => OptionsBinder.Validate(new WithFolder { Model = "/nonexistent" }, "Rollout"));
        Assert.Equal("Rollout:Model", ex.Key);
        Assert.Equal("folder not found: /nonexistent", ex.Detail);

        var file = Path.Combine(_dir, "model.onnx");
        File.WriteAllText(file, "");
        ex = Assert.Throws<OptionsException>(() => OptionsBinder.Validate(new WithFolder { Model = file }, "Rollout"));
        Assert.Contains("is a file, not a folder", ex.Detail);
    }
}
