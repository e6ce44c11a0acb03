"""Eager PyTorch reference for the learner benchmark's text-only line: the same Qwen2 decoder shape (RMSNorm, GQA with
q/k/v bias, rotate-half RoPE, SwiGLU, tied or untied head), one GRPO-style micro-step per timed iteration: forward over
B x T tokens, log-softmax(logits / 0.7) gathered at the response half, token-mean loss weighted by +-1, backward.
Random weights; prints one line with ms per step and tokens/s. Usage: see `dotnet run -- --text-only` in this folder."""
import argparse
import time

import torch
import torch.nn.functional as F


def rms_norm(x, w, eps=1e-6):
    x32 = x.float()
    return w * (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + eps)).to(x.dtype)


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], -1)


class Decoder(torch.nn.Module):
    def __init__(self, a, dtype):
        super().__init__()
        d, hd = a.hidden, a.hidden // a.heads
        self.a, self.hd = a, hd
        lin = lambda i, o, b: torch.nn.Linear(i, o, bias=b, dtype=dtype)
        self.embed = torch.nn.Embedding(a.vocab, d, dtype=dtype)
        self.layers = torch.nn.ModuleList()
        for _ in range(a.layers):
            m = torch.nn.Module()
            m.q, m.k, m.v = lin(d, a.heads * hd, True), lin(d, a.kv_heads * hd, True), lin(d, a.kv_heads * hd, True)
            m.o = lin(a.heads * hd, d, False)
            m.gate, m.up, m.down = lin(d, a.intermediate, False), lin(d, a.intermediate, False), lin(a.intermediate, d, False)
            m.n1 = torch.nn.Parameter(torch.ones(d, dtype=dtype))
            m.n2 = torch.nn.Parameter(torch.ones(d, dtype=dtype))
            self.layers.append(m)
        self.norm = torch.nn.Parameter(torch.ones(d, dtype=dtype))
        self.head = None if a.tied else lin(d, a.vocab, False)

    def forward(self, ids):
        b, t = ids.shape
        a, hd = self.a, self.hd
        inv = 1.0 / (10000.0 ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
        freqs = torch.outer(torch.arange(t, dtype=torch.float32), inv)
        emb = torch.cat([freqs, freqs], -1)
        cos, sin = emb.cos().to(self.embed.weight.dtype), emb.sin().to(self.embed.weight.dtype)
        mask = torch.ones(t, t, dtype=torch.bool).tril()
        h = self.embed(ids)
        rep = a.heads // a.kv_heads
        for m in self.layers:
            x = rms_norm(h, m.n1)
            q = m.q(x).view(b, t, a.heads, hd).transpose(1, 2)
            k = m.k(x).view(b, t, a.kv_heads, hd).transpose(1, 2)
            v = m.v(x).view(b, t, a.kv_heads, hd).transpose(1, 2)
            q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
            k = k.repeat_interleave(rep, 1)
            v = v.repeat_interleave(rep, 1)
            s = (q @ k.transpose(-2, -1)) * hd ** -0.5
            p = s.float().masked_fill(~mask, torch.finfo(torch.float32).min).softmax(-1).to(q.dtype)
            h = h + m.o((p @ v).transpose(1, 2).reshape(b, t, -1))
            x = rms_norm(h, m.n2)
            h = h + m.down(F.silu(m.gate(x)) * m.up(x))
        h = rms_norm(h, self.norm)
        return F.linear(h, self.embed.weight if self.head is None else self.head.weight)


def main():
    p = argparse.ArgumentParser()
    for name in ["batch", "seq", "threads", "vocab", "hidden", "intermediate", "layers", "heads", "kv-heads", "tied"]:
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("--dtype", default="fp32")
    p.add_argument("--steps", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    dtype = torch.bfloat16 if a.dtype == "bf16" else torch.float32
    model = Decoder(a, dtype)
    ids = torch.randint(22, a.vocab, (a.batch, a.seq))
    half = a.seq // 2
    sign = torch.tensor([1.0 if i % 2 == 0 else -1.0 for i in range(a.batch)]).unsqueeze(1)
    for i in range(2 + a.steps):
        if i == 2:
            start = time.perf_counter()
        model.zero_grad(set_to_none=True)
        logits = model(ids)[:, half - 1:-1].float() / 0.7
        lp = logits.log_softmax(-1).gather(-1, ids[:, half:].unsqueeze(-1)).squeeze(-1)
        (-(sign * lp).mean()).backward()
    ms = (time.perf_counter() - start) * 1000 / a.steps
    print(f"eager pytorch {torch.__version__} {a.dtype} threads {a.threads}: {a.batch}x{a.seq} tokens, "
          f"{ms:.1f} ms/step, {a.batch * a.seq / (ms / 1000):.0f} tokens/s")


if __name__ == "__main__":
    main()
