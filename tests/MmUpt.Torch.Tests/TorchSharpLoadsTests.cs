using TorchSharp;
using static TorchSharp.torch;

namespace MmUpt.Torch.Tests;

/// <summary>TorchSharp loads in the test host (on Debian 12 thanks to the module initializer) and can train.</summary>
public sealed class TorchSharpLoadsTests
{
    [Fact]
    public void The_output_folder_library_is_loadable_on_this_system()
    {
        var result = TorchNativeLoader.PrepareOutputFolder();
        Assert.NotEqual(TorchNativeLoader.PrepareResult.Unfixable, result);
        Assert.NotEqual(TorchNativeLoader.PrepareResult.NotApplicable, result);
    }

    [Fact]
    public void A_tiny_module_trains_forward_backward_adamw()
    {
        torch.manual_seed(7);
        using var model = nn.Sequential(("fc1", nn.Linear(4, 16)), ("act", nn.Tanh()), ("fc2", nn.Linear(16, 1)));
        using var optimizer = optim.AdamW(model.parameters(), lr: 0.05, weight_decay: 0.01);
        using var x = rand(64, 4);
        // Target: a smooth function of the inputs that a 16-unit MLP fits easily.
        using var y = (x.sum(1, keepdim: true) - 2.0).sin();

        double first = 0, last = 0;
        for (var step = 0; step < 60; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            optimizer.step();
            var value = loss.item<float>();
            if (step == 0)
            {
                first = value;
            }
            last = value;
        }
        Assert.True(double.IsFinite(last));
        Assert.True(last < first * 0.2, $"loss went from {first} to {last}");
    }

    [Fact]
    public void Gradients_match_the_analytic_derivative()
    {
        using var w = tensor(new[] { 1.5, -2.0, 0.5 }, requires_grad: true);
        using var x = tensor(new[] { 0.3, 0.7, -1.1 });
        using var scope = NewDisposeScope();
        // f(w) = sum(tanh(w * x)); df/dw_i = x_i * (1 - tanh(w_i x_i)^2)
        (w * x).tanh().sum().backward();
        var grad = w.grad!.data<double>().ToArray();
        double[] wv = [1.5, -2.0, 0.5], xv = [0.3, 0.7, -1.1];
        for (var i = 0; i < 3; i++)
        {
            var t = Math.Tanh(wv[i] * xv[i]);
            Assert.Equal(xv[i] * (1 - t * t), grad[i], 12);
        }
    }
}
