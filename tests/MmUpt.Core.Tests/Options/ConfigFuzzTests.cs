using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MmUpt.Core.Options;
using MmUpt.Testing;

namespace MmUpt.Core.Tests.Options;

/// <summary>
/// Seeded corruptions of a configuration file (wrong JSON types, huge and negative numbers, deleted keys, truncation, bit
/// flips, invalid UTF-8, empty files), loaded and bound in-process: each either binds to valid options or fails with an
/// <see cref="OptionsException"/> (one line naming the key); nothing else escapes.
/// </summary>
public sealed class ConfigFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mmupt-config-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public enum Mode { Faithful, Robust }

    /// <summary>One of each kind of setting the real options classes have.</summary>
    public sealed class SampleOptions
    {
        [Range(0, 65535)] public int Port { get; set; } = 50052;
        [Required(AllowEmptyStrings = false)] public string Host { get; set; } = "127.0.0.1";
        [Range(typeof(TimeSpan), "00:00:00", "01:00:00")] public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
        public Mode Mode { get; set; }
        [Range(0.0, 1.0)] public double? MinAgreement { get; set; } = 0.2;
        public bool Fallbacks { get; set; }
        [Range(1L, long.MaxValue)] public long MaxBytes { get; set; } = 1 << 20;
        [Device] public string Device { get; set; } = "cpu";
        [HttpAddress] public string Voting { get; set; } = "http://127.0.0.1:50052";
    }

    [Fact]
    public void Corrupted_config_files_bind_or_fail_with_one_options_error()
    {
        var valid = JsonSerializer.Serialize(new Dictionary<string, object> { ["Server"] = new SampleOptions() });
        var mutator = new Mutator(seed: 21);
        var refused = 0;
        for (var i = 0; i < 300; i++)
        {
            var path = Path.Combine(_dir, $"c{i}.json");
            File.WriteAllBytes(path, mutator.AnyJson(valid, out var kind));
            try
            {
                var configuration = ConfigurationLoader.Load(path, ["Server"], new Dictionary<string, string?>());
                OptionsBinder.Bind<SampleOptions>(configuration, "Server");
            }
            catch (OptionsException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Key), $"case {i} ({kind}): no key in '{ex.Message}'");
                Assert.DoesNotContain('\n', ex.Message);
                refused++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"case {i} ({kind}): {ex.GetType().Name}: {ex.Message}");
            }
        }
        Assert.InRange(refused, 30, 300);
    }
}
