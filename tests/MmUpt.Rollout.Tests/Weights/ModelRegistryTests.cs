using MmUpt.Core;
using MmUpt.Rollout.Engine;
using MmUpt.Rollout.Tests.Server;
using MmUpt.Rollout.Weights;

namespace MmUpt.Rollout.Tests.Weights;

/// <summary>The registry's spare: only the version just replaced, only once no generator holds it, only with its own folder.</summary>
public sealed class ModelRegistryTests(ServedModels models) : IClassFixture<ServedModels>
{
    private LoadedVersion Load(ulong version, bool ownFolder) =>
        new(version, OrtGenAiEngine.Load(models.Folder, DeviceSpec.Cpu), ownFolder ? models.Folder : null);

    [Fact]
    public void The_replaced_version_becomes_the_spare_once_its_last_generator_lets_go()
    {
        using var registry = new ModelRegistry();
        var v1 = Load(1, ownFolder: true);
        registry.Activate(v1);
        var lease = registry.Acquire()!;
        registry.Activate(Load(2, ownFolder: true));

        // Retired: no new generator gets v1, and it is no spare while one still runs on it.
        using (var next = registry.Acquire()!)
        {
            Assert.Equal(2ul, next.Version);
        }
        Assert.Null(registry.TakeSpare());
        Assert.Equal([1ul, 2ul], registry.Loaded);

        lease.Dispose();
        var spare = registry.TakeSpare();
        Assert.Same(v1, spare);
        Assert.False(v1.Disposed);
        Assert.Null(registry.TakeSpare());
        Assert.Equal([2ul], registry.Loaded);
        v1.Engine.Dispose();
    }

    [Fact]
    public void Only_the_last_replaced_version_is_kept_and_one_without_its_own_folder_is_freed()
    {
        using var registry = new ModelRegistry();
        var served = Load(0, ownFolder: false);
        registry.Activate(served);
        var v1 = Load(1, ownFolder: true);
        registry.Activate(v1);
        Assert.True(served.Disposed);
        Assert.Null(registry.TakeSpare());

        registry.Activate(Load(2, ownFolder: true));
        registry.Activate(Load(3, ownFolder: true));
        Assert.True(v1.Disposed);
        Assert.Equal([2ul, 3ul], registry.Loaded);
        var spare = registry.TakeSpare()!;
        Assert.Equal(2ul, spare.Version);
        spare.Engine.Dispose();
    }
}
