using MmUpt.Model;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace MmUpt.Learner.Grpo;

/// <summary>
/// <c>mmupt grpo-loss</c>: one micro-batch's loss and parts from tensors given as JSON, through <see cref="GrpoLoss"/>
/// itself, in float64 so other implementations can be compared to many digits. Input keys (rows = responses, columns =
/// response tokens): <c>log_probs</c> [B][L] (required), <c>old_log_probs</c> [B][L] (default: log_probs),
/// <c>ref_log_probs</c> [B][L] (absent: no KL term), <c>response_mask</c> [B][L] (default all 1), <c>advantages</c>
/// [B] or [B][L], or <c>rewards</c> [B] with <c>group_ids</c> [B]; optional <c>config</c> {clip_ratio_low,
/// clip_ratio_high, clip_ratio_dual, kl_coef, adv_eps}. Output: loss, pg_loss, kl_loss, pg_clipfrac_higher,
/// pg_clipfrac_lower, ppo_kl, advantages [B] (per response: the mean over its tokens when given per token), and with
/// <c>grad</c> grad_log_probs [B][L] = ∂loss/∂log_probs.
/// </summary>
public static class GrpoLossJson
{
    private static readonly string[] KnownKeys =
        ["log_probs", "old_log_probs", "ref_log_probs", "response_mask", "advantages", "rewards", "group_ids", "config"];

    private static readonly Dictionary<string, Action<GrpoOptions, double>> ConfigKeys = new()
    {
        ["clip_ratio_low"] = (o, v) => o.ClipRatioLow = v,
        ["clip_ratio_high"] = (o, v) => o.ClipRatioHigh = v,
        ["clip_ratio_dual"] = (o, v) => o.ClipRatioDual = v,
        ["kl_coef"] = (o, v) => o.KlCoef = v,
        ["adv_eps"] = (o, v) => o.AdvantageEps = v,
    };

    /// <summary>Computes the output object. Bad input throws <see cref="FormatException"/> naming the key.</summary>
    public static JsonObject Run(JsonElement root, GrpoOptions defaults, bool withGrad)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("the input must be a JSON object");
        foreach (var p in root.EnumerateObject())
        {
            if (!KnownKeys.Contains(p.Name)) throw new FormatException($"unknown key \"{p.Name}\" (known: {string.Join(", ", KnownKeys)})");
        }
        var options = ReadConfig(root, defaults.Clone());
        using var scope = NewDisposeScope();
        var logProbs = Matrix(root, "log_probs", null) ?? throw new FormatException("\"log_probs\" is required");
        var (b, l) = (logProbs.GetLength(0), logProbs.GetLength(1));
        var lp = ToTensor(logProbs).requires_grad_(withGrad);
        var old = Matrix(root, "old_log_probs", (b, l)) is { } o ? ToTensor(o) : lp.detach().clone();
        var refLp = Matrix(root, "ref_log_probs", (b, l)) is { } r ? ToTensor(r) : null;
        var mask = Matrix(root, "response_mask", (b, l)) is { } m ? ToTensor(m) : ones(b, l, dtype: ScalarType.Float64);
        var advantages = Advantages(root, b, l, options);

        var (loss, parts) = GrpoLoss.Compute(new GrpoLossInputs(lp, old, refLp, mask, advantages), options);
        var result = new JsonObject
        {
            ["loss"] = parts.Loss,
            ["pg_loss"] = parts.PgLoss,
            ["kl_loss"] = parts.KlLoss,
            ["pg_clipfrac_higher"] = parts.ClipFracHigher,
            ["pg_clipfrac_lower"] = parts.ClipFracLower,
            ["ppo_kl"] = parts.PpoKl,
            ["advantages"] = Array(PerResponse(advantages, mask)),
        };
        if (withGrad)
        {
            loss.backward();
            var g = lp.grad!.contiguous().data<double>().ToArray();
            result["grad_log_probs"] = new JsonArray(Enumerable.Range(0, b).Select(i => (JsonNode)Array(g.Skip(i * l).Take(l))).ToArray());
        }
        return result;
    }

    private static GrpoOptions ReadConfig(JsonElement root, GrpoOptions options)
    {
        if (!root.TryGetProperty("config", out var config)) return options;
        if (config.ValueKind != JsonValueKind.Object) throw new FormatException("\"config\" must be an object");
        foreach (var p in config.EnumerateObject())
        {
            if (!ConfigKeys.TryGetValue(p.Name, out var set))
                throw new FormatException($"config: unknown key \"{p.Name}\" (known: {string.Join(", ", ConfigKeys.Keys)})");
            if (p.Value.ValueKind != JsonValueKind.Number) throw new FormatException($"config.{p.Name} must be a number");
            set(options, p.Value.GetDouble());
        }
        try
        {
            Core.Options.OptionsBinder.Validate(options, "config");
        }
        catch (Core.Options.OptionsException ex)
        {
            throw new FormatException(ex.Message);
        }
        return options;
    }

    private static Tensor Advantages(JsonElement root, int b, int l, GrpoOptions options)
    {
        if (root.TryGetProperty("advantages", out var a))
        {
            if (root.TryGetProperty("rewards", out _)) throw new FormatException("give either \"advantages\" or \"rewards\", not both");
            if (a.ValueKind == JsonValueKind.Array && a.GetArrayLength() > 0 && a[0].ValueKind == JsonValueKind.Array)
                return ToTensor(Matrix(root, "advantages", (b, l))!);
            return tensor(Vector(a, "advantages", b), dtype: ScalarType.Float64);
        }
        if (!root.TryGetProperty("rewards", out var rewards)) throw new FormatException("give \"advantages\" or \"rewards\" with \"group_ids\"");
        if (!root.TryGetProperty("group_ids", out var ids) || ids.ValueKind != JsonValueKind.Array || ids.GetArrayLength() != b)
            throw new FormatException($"\"rewards\" needs \"group_ids\": an array of {b} strings or numbers");
        var groups = ids.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList();
        try
        {
            return tensor(GroupAdvantages.Compute(Vector(rewards, "rewards", b), groups, options.AdvantageEps), dtype: ScalarType.Float64);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"rewards: {ex.Message}");
        }
    }

    private static double[,]? Matrix(JsonElement root, string key, (int B, int L)? expected)
    {
        if (!root.TryGetProperty(key, out var e)) return null;
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() == 0) throw new FormatException($"\"{key}\" must be a non-empty [B][L] array");
        var rows = e.EnumerateArray().ToList();
        var b = rows.Count;
        var l = rows[0].ValueKind == JsonValueKind.Array ? rows[0].GetArrayLength() : -1;
        if (l <= 0) throw new FormatException($"\"{key}\" must be a [B][L] array of numbers with L ≥ 1");
        if (expected is { } x && (x.B != b || x.L != l)) throw new FormatException($"\"{key}\" is [{b}][{l}], log_probs [{x.B}][{x.L}]");
        var m = new double[b, l];
        for (var i = 0; i < b; i++)
        {
            var row = Vector(rows[i], $"{key}[{i}]", l);
            for (var j = 0; j < l; j++) m[i, j] = row[j];
        }
        return m;
    }

    private static Tensor ToTensor(double[,] m) =>
        tensor(m.Cast<double>().ToArray(), [m.GetLength(0), m.GetLength(1)], dtype: ScalarType.Float64);

    /// <summary>[B] as is; [B, L] → the mean over each row's response tokens.</summary>
    private static double[] PerResponse(Tensor advantages, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var a = advantages.dim() == 1 ? advantages : (advantages * mask).sum(1) / mask.sum(1).clamp_min(Scalars.Of(1.0));
        return a.detach().contiguous().data<double>().ToArray();
    }

    private static double[] Vector(JsonElement e, string key, int length)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != length)
            throw new FormatException($"\"{key}\" must be an array of {length} numbers");
        return e.EnumerateArray().Select((v, j) => v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble())
            ? v.GetDouble() : throw new FormatException($"\"{key}\"[{j}] is not a finite number")).ToArray();
    }

    private static JsonArray Array(IEnumerable<double> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
