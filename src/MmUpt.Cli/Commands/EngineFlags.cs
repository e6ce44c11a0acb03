using System.CommandLine;
using MmUpt.Core;
using MmUpt.Core.Options;
using MmUpt.Data;
using MmUpt.Processing.Images;
using MmUpt.Rollout.Engine;
using MmUpt.Sampling;

namespace MmUpt.Cli;

/// <summary>
/// The flags of commands that sample from an exported model in-process (<c>--model --data --device --seed
/// --temperature --top-p --max-new-tokens --limit</c>) and opening both: the ORT GenAI engine and the dataset in file order.
/// </summary>
public sealed class EngineFlags
{
    private readonly Option<string> _model = new("--model") { Description = "Exported model folder (mmupt export).", HelpName = "DIR", Required = true };
    private readonly Option<string> _data = new("--data") { Description = "Dataset: JSONL or Parquet.", HelpName = "FILE", Required = true };
    private readonly Option<string> _device = CommonOptions.Device();
    private readonly Option<long> _seed = CommonOptions.Seed();
    private readonly Option<float> _temperature;
    private readonly Option<float> _topP = new("--top-p") { Description = "Nucleus mass in (0, 1] (default 1: no truncation).", HelpName = "P", DefaultValueFactory = _ => 1f };
    private readonly Option<int> _maxNewTokens;
    private readonly Option<int?> _limit = new("--limit") { Description = "Use only the first N records.", HelpName = "N" };
    private readonly Option<bool> _strict = new("--strict") { Description = "Stop at the first malformed row (exit 1) instead of skipping it." };
    private readonly Option<long> _maxImagePixels = CommonOptions.MaxImagePixels();

    public EngineFlags(Command command, float defaultTemperature, int defaultMaxNewTokens)
    {
        _temperature = new Option<float>("--temperature") { Description = $"Sampling temperature (default {defaultTemperature}).", HelpName = "T", DefaultValueFactory = _ => defaultTemperature };
        _maxNewTokens = new Option<int>("--max-new-tokens") { Description = $"Cap on tokens per response (default {defaultMaxNewTokens}).", HelpName = "N", DefaultValueFactory = _ => defaultMaxNewTokens };
        _seed.DefaultValueFactory = _ => 1;
        _device.DefaultValueFactory = _ => "cpu";
        foreach (var o in new Option[] { _model, _data, _device, _seed, _temperature, _topP, _maxNewTokens, _limit, _strict, _maxImagePixels })
        {
            command.Options.Add(o);
        }
    }

    /// <summary>An open engine and dataset; <see cref="Count"/> is the number of records that will be read.</summary>
    public sealed class Run(OrtGenAiEngine engine, IDatasetReader reader, DatasetStream stream, IAsyncEnumerable<DataRecord> records, long count,
        SamplingSettings settings) : IDisposable
    {
        public ISampler Sampler { get; } = new OrtGenAiSampler(engine);
        public IAsyncEnumerable<DataRecord> Records { get; } = records;
        public long Count { get; } = count;
        public SamplingSettings Settings { get; } = settings;

        /// <summary>Prints each skipped row (file and row) and their count on stderr.</summary>
        public void ReportSkipped()
        {
            foreach (var problem in stream.Problems)
            {
                Console.Error.WriteLine($"skipped: {problem}");
            }
            Console.Error.WriteLine($"{stream.SkippedRows} malformed row(s) skipped");
        }

        public void Dispose()
        {
            engine.Dispose();
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The --model folder and --data file, which outputs must stay out of.</summary>
    public string[] Inputs(ParseResult parsed) => [parsed.GetValue(_model)!, parsed.GetValue(_data)!];

    /// <summary>
    /// Checks every flag and the model folder, then opens the dataset and the engine. On a problem prints one line and
    /// returns the exit code: <see cref="CliRunner.Usage"/> for flags and the model folder, <see cref="CliRunner.Failed"/>
    /// for a dataset or model that cannot be read.
    /// </summary>
    public async Task<(Run? Run, int ExitCode)> OpenAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        var code = CliRunner.Usage;
        var run = await TryOpenAsync(parsed, c => code = c, cancellationToken);
        return (run, run is null ? code : CliRunner.Ok);
    }

    private async Task<Run?> TryOpenAsync(ParseResult parsed, Action<int> failedWith, CancellationToken cancellationToken)
    {
        var settings = new SamplingSettings
        {
            Temperature = parsed.GetValue(_temperature), TopP = parsed.GetValue(_topP),
            MaxNewTokens = parsed.GetValue(_maxNewTokens), Seed = (ulong)Math.Max(0, parsed.GetValue(_seed)),
        };
        var images = new ImageLimits { MaxPixels = parsed.GetValue(_maxImagePixels) };
        DeviceSpec device;
        try
        {
            OptionsBinder.Validate(settings, "sampling");
            OptionsBinder.Validate(images, "images");
            device = DeviceSpec.Parse(parsed.GetValue(_device)!);
        }
        catch (OptionsException ex)
        {
            var flag = ex.Key.Split(':')[^1] switch
            {
                nameof(SamplingSettings.Temperature) => _temperature.Name,
                nameof(SamplingSettings.TopP) => _topP.Name,
                nameof(SamplingSettings.MaxNewTokens) => _maxNewTokens.Name,
                nameof(ImageLimits.MaxPixels) => _maxImagePixels.Name,
                _ => ex.Key,
            };
            await CliRunner.UsageAsync($"{flag}: {ex.Detail}");
            return null;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException)
        {
            await CliRunner.UsageAsync($"{_device.Name}: {ex.Message}");
            return null;
        }
        if (parsed.GetValue(_limit) is < 1)
        {
            await CliRunner.UsageAsync("--limit must be at least 1");
            return null;
        }
        var dataPath = parsed.GetValue(_data)!;
        if (!File.Exists(dataPath))
        {
            await CliRunner.UsageAsync($"--data: file not found: {Path.GetFullPath(dataPath)}");
            return null;
        }
        var modelPath = parsed.GetValue(_model)!;
        if (ModelFolderCheck.Problem(modelPath) is { } problem)
        {
            await CliRunner.UsageAsync($"--model: {problem}");
            return null;
        }
        IDatasetReader reader;
        try
        {
            reader = await DatasetReaders.OpenAsync(dataPath, images, cancellationToken);
        }
        catch (DatasetFormatException ex)
        {
            failedWith(CliRunner.Failed);
            await CliRunner.FailedAsync(ex.Message);
            return null;
        }
        OrtGenAiEngine engine;
        try
        {
            engine = OrtGenAiEngine.Load(modelPath, device);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or System.Text.Json.JsonException
                                       or FormatException or InvalidOperationException or Microsoft.ML.OnnxRuntimeGenAI.OnnxRuntimeGenAIException)
        {
            await reader.DisposeAsync();
            failedWith(CliRunner.Failed);
            await CliRunner.FailedAsync($"--model: {Path.GetFullPath(modelPath)} cannot be loaded: {FirstLine(ex.Message)}");
            return null;
        }
        var stream = DatasetStream.Start(reader, new DatasetStreamOptions
        {
            Shuffle = false, Epochs = 1, Malformed = parsed.GetValue(_strict) ? MalformedRowPolicy.Fail : MalformedRowPolicy.Skip,
        });
        var limit = parsed.GetValue(_limit);
        var records = limit is { } n ? stream.ReadAsync(cancellationToken).Take(n) : stream.ReadAsync(cancellationToken);
        return new Run(engine, reader, stream, records, limit is { } l ? Math.Min(l, stream.Rows) : stream.Rows, settings);
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
