using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// The token embedding table (transformers <c>nn.Embedding</c>, parameter <c>weight</c> [V, hidden]): row lookup by id.
/// Not TorchSharp's <c>nn.Embedding</c>, which is built natively on the CPU in fp32 with a random init and only then
/// moved: 2.2 GB and seconds for the 7B table, even when the model is built on the meta device. Here the parameter is
/// created where and as the options say (zeros; a checkpoint or <c>RandomInit</c> always overwrites it).
/// </summary>
public sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    public TokenEmbedding(long vocab, long hidden, ModelOptions o) : base(nameof(TokenEmbedding))
    {
        _weight = new Parameter(zeros(vocab, hidden, dtype: o.DType, device: o.Device));
        RegisterComponents();
    }

    public Parameter Weight => _weight;

    /// <summary>ids [...] int64 → [..., hidden].</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var rows = _weight.index_select(0, ids.reshape(-1));                  // [N, hidden]
        return rows.reshape([.. ids.shape, _weight.shape[1]]).MoveToOuterDisposeScope(); // [..., hidden]
    }
}
