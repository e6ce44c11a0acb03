using System.Text.Json;
using System.Text.Json.Nodes;
using MmUpt.Checkpoint;

namespace MmUpt.Processing.Tokenization;

/// <summary>
/// Reads and writes <c>tokenizer.json</c> (HF tokenizers, BPE model) and <c>tokenizer_config.json</c> in the shape of
/// Qwen2.5-VL's files, which ORT GenAI 0.18 (onnxruntime-extensions) also loads: <c>tokenizer_class</c>
/// "Qwen2Tokenizer", NFC normaliser, Sequence[Split(Qwen2 regex), ByteLevel] pre-tokenizer, ByteLevel decoder.
/// </summary>
public static class TokenizerJson
{
    public const string TokenizerFileName = "tokenizer.json";
    public const string ConfigFileName = "tokenizer_config.json";

    // Written like HF files: "<|im_start|>" and byte-level chars such as "Ġ" as they are, not as \u escapes.
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string folder, BpeModel model, int modelMaxLength = 32768)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, TokenizerFileName), BuildTokenizerJson(model).ToJsonString(Indented) + "\n");
        File.WriteAllText(Path.Combine(folder, ConfigFileName), BuildConfigJson(model, modelMaxLength).ToJsonString(Indented) + "\n");
    }

    private static JsonObject ByteLevel() => new()
    {
        ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false,
    };

    private static JsonObject BuildTokenizerJson(BpeModel model)
    {
        var added = new JsonArray();
        foreach (var a in model.AddedTokens)
        {
            added.Add(new JsonObject
            {
                ["id"] = a.Id, ["content"] = a.Content, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = a.Special,
            });
        }
        var vocab = new JsonObject();
        foreach (var (tok, id) in model.Vocab.OrderBy(kv => kv.Value)) vocab[tok] = id;
        var merges = new JsonArray(model.Merges.Select(m => (JsonNode)JsonValue.Create(m.Left + " " + m.Right)!).ToArray());
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = model.Normalizer == TokenizerNormalizer.None ? null : new JsonObject { ["type"] = model.Normalizer.Name },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = QwenPreTokenizer.Pattern },
                        ["behavior"] = "Isolated", ["invert"] = false,
                    },
                    ByteLevel()),
            },
            ["post_processor"] = ByteLevel(),
            ["decoder"] = ByteLevel(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "", ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocab, ["merges"] = merges,
            },
        };
    }

    private static JsonObject BuildConfigJson(BpeModel model, int modelMaxLength)
    {
        var decoder = new JsonObject();
        foreach (var a in model.AddedTokens)
        {
            decoder[a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["content"] = a.Content, ["lstrip"] = false, ["normalized"] = false, ["rstrip"] = false,
                ["single_word"] = false, ["special"] = a.Special,
            };
        }
        var additional = new JsonArray(model.AddedTokens.Where(a => a.Special && a.Content != QwenSpecialTokens.EndOfText)
            .Select(a => (JsonNode)JsonValue.Create(a.Content)!).ToArray());
        return new JsonObject
        {
            ["add_bos_token"] = false,
            ["add_prefix_space"] = false,
            ["added_tokens_decoder"] = decoder,
            ["additional_special_tokens"] = additional,
            ["bos_token"] = null,
            ["chat_template"] = QwenChatTemplate.Jinja,
            ["clean_up_tokenization_spaces"] = false,
            ["eos_token"] = QwenSpecialTokens.ImEnd,
            ["errors"] = "replace",
            ["model_max_length"] = modelMaxLength,
            ["pad_token"] = QwenSpecialTokens.EndOfText,
            ["split_special_tokens"] = false,
            ["tokenizer_class"] = "Qwen2Tokenizer",
            ["unk_token"] = null,
        };
    }

    /// <summary>Reads the BPE model of a <c>tokenizer.json</c> (merges as "a b" strings or as pairs).</summary>
    public static BpeModel ReadModel(string folderOrFile)
    {
        var path = Directory.Exists(folderOrFile) ? Path.Combine(folderOrFile, TokenizerFileName) : folderOrFile;
        var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new CheckpointFormatException($"{path} is empty");
        var model = root["model"]?.AsObject() ?? throw new CheckpointFormatException($"{path}: no \"model\"");
        if (model["type"]?.GetValue<string>() is { } type && type != "BPE")
            throw new CheckpointFormatException($"{path}: model.type is \"{type}\", only BPE is supported");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (tok, id) in model["vocab"]?.AsObject() ?? throw new CheckpointFormatException($"{path}: no model.vocab"))
            vocab[tok] = id!.GetValue<int>();
        var merges = new List<(string, string)>();
        foreach (var m in model["merges"]?.AsArray() ?? [])
        {
            if (m is JsonArray pair) merges.Add((pair[0]!.GetValue<string>(), pair[1]!.GetValue<string>()));
            else
            {
                var s = m!.GetValue<string>();
                var space = s.IndexOf(' ', 1);
                if (space < 0) throw new CheckpointFormatException($"{path}: merge \"{s}\" has no space");
                merges.Add((s[..space], s[(space + 1)..]));
            }
        }
        var added = (root["added_tokens"]?.AsArray() ?? []).Select(a => new AddedToken(
            a!["id"]!.GetValue<int>(), a["content"]!.GetValue<string>(), a["special"]?.GetValue<bool>() ?? false)).ToList();
        if (model["ignore_merges"]?.GetValue<bool>() == true)
            throw new CheckpointFormatException($"{path}: model.ignore_merges is true; only BPE that applies every merge is supported");
        CheckPreTokenizer(path, root["pre_tokenizer"]);
        var normalizerType = root["normalizer"]?["type"]?.GetValue<string>();
        var normalizer = TokenizerNormalizer.FromType(normalizerType)
            ?? throw new CheckpointFormatException($"{path}: normalizer.type \"{normalizerType}\" is not supported (NFC, NFD or null)");
        return new BpeModel(added, vocab, merges) { Normalizer = normalizer };
    }

    /// <summary>
    /// The encoder implements one pre-tokenizer, Qwen2's: Sequence[Split(<see cref="QwenPreTokenizer.Pattern"/>,
    /// Isolated), ByteLevel without its own regex]. Anything else would tokenize differently, so it is refused.
    /// </summary>
    private static void CheckPreTokenizer(string path, JsonNode? pre)
    {
        var steps = pre?["pretokenizers"]?.AsArray();
        var split = steps is { Count: 2 } ? steps[0] : null;
        var byteLevel = steps is { Count: 2 } ? steps[1] : null;
        var ok = pre?["type"]?.GetValue<string>() == "Sequence"
                 && split?["type"]?.GetValue<string>() == "Split"
                 && split["pattern"]?["Regex"]?.GetValue<string>() == QwenPreTokenizer.Pattern
                 && split["behavior"]?.GetValue<string>() == "Isolated"
                 && split["invert"]?.GetValue<bool>() != true
                 && byteLevel?["type"]?.GetValue<string>() == "ByteLevel"
                 && byteLevel["use_regex"]?.GetValue<bool>() == false
                 && byteLevel["add_prefix_space"]?.GetValue<bool>() != true;
        if (!ok)
            throw new CheckpointFormatException(
                $"{path}: pre_tokenizer is not Qwen2's Sequence[Split(Regex, Isolated), ByteLevel(use_regex false)], the only one supported");
    }
}
