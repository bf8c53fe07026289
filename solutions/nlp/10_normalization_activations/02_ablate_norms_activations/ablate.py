"""Reference solution for nlp-10-2."""
from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

NORMS = ("layernorm", "rmsnorm", "none")
ACTIVATIONS = ("gelu", "relu", "swiglu", "none")


def make_norm(kind: str, d: int) -> nn.Module:
    """Given: nn.LayerNorm, nn.RMSNorm or nn.Identity (the ablation), by name."""
    if kind not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, not {kind!r}")
    return {"layernorm": nn.LayerNorm, "rmsnorm": nn.RMSNorm}[kind](d) if kind != "none" else nn.Identity()


class FeedForward(nn.Module):
    """Given: fc2(act(fc1(x))) for act in gelu / relu / none (identity), or SwiGLU (w_gate, w_up, w_down)."""

    def __init__(self, d_model: int, d_ff: int, activation: str) -> None:
        super().__init__()
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, not {activation!r}")
        self.activation = activation
        if activation == "swiglu":
            self.w_gate = nn.Linear(d_model, d_ff, bias=False)
            self.w_up = nn.Linear(d_model, d_ff, bias=False)
            self.w_down = nn.Linear(d_ff, d_model, bias=False)
        else:
            self.fc1 = nn.Linear(d_model, d_ff)
            self.fc2 = nn.Linear(d_ff, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.activation == "swiglu":
            return self.w_down(F.silu(self.w_gate(x)) * self.w_up(x))
        h = self.fc1(x)
        if self.activation == "gelu":
            h = F.gelu(h)
        elif self.activation == "relu":
            h = F.relu(h)
        return self.fc2(h)


class ToyNet(nn.Module):
    """Given: a tiny pre-norm residual network, the transformer's feed-forward half without attention.

        h = embed(x);  h = h + dropout(ffn_i(norm_i(h))) for each block;  logits = head(final_norm(h))
    """

    def __init__(self, d_in: int, d_model: int, n_blocks: int, norm: str, activation: str,
                 dropout: float = 0.0) -> None:
        super().__init__()
        self.embed = nn.Linear(d_in, d_model)
        self.norms = nn.ModuleList(make_norm(norm, d_model) for _ in range(n_blocks))
        self.ffns = nn.ModuleList(FeedForward(d_model, 2 * d_model, activation) for _ in range(n_blocks))
        self.dropout = nn.Dropout(dropout)
        self.final_norm = make_norm(norm, d_model)
        self.head = nn.Linear(d_model, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.embed(x)
        for norm, ffn in zip(self.norms, self.ffns, strict=True):
            h = h + self.dropout(ffn(norm(h)))
        return self.head(self.final_norm(h))


def xor_data(n: int, d_in: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Given: x ~ N(0, I) of width d_in, label 1 when x[0] and x[1] have the same sign (XOR of signs).

    The other d_in - 2 features are noise. No linear classifier beats chance (log 2 nats) on it.
    """
    x = torch.randn(n, d_in, generator=generator)
    return x, (x[:, 0] * x[:, 1] > 0).long()


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Mean cross-entropy (nats) of model on (x, y), with dropout off and no autograd graph.

    Leave the model in the mode (train or eval) it was in.
    """
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return float(F.cross_entropy(model(x), y))
    finally:
        model.train(was_training)


def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float, batch_size: int,
          seed: int) -> list[float]:
    """Train model in train mode with AdamW(lr, weight_decay=0) for `steps` minibatch steps.

    Minibatches: g = torch.Generator().manual_seed(seed) once, then each step
    idx = torch.randint(len(x), (batch_size,), generator=g); minimize F.cross_entropy(model(x[idx]), y[idx]).
    (Dropout, if any, draws from torch's global generator; do not reseed it here.)

    Returns:
        the loss of every step, as floats
    """
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    model.train()
    losses = []
    for _ in range(steps):
        idx = torch.randint(len(x), (batch_size,), generator=g)
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def run_ablation(variants: dict[str, tuple[str, str]], train_data: tuple[torch.Tensor, torch.Tensor],
                 test_data: tuple[torch.Tensor, torch.Tensor], steps: int, lr: float, batch_size: int = 64,
                 seed: int = 0, d_model: int = 16, n_blocks: int = 2, dropout: float = 0.0) -> dict[str, dict[str, Any]]:
    """Train one ToyNet per variant and report its train and test loss after training.

    variants maps a name to (norm, activation). For a fair comparison every variant starts from the
    same seed: torch.manual_seed(seed) immediately before ToyNet(d_in, d_model, n_blocks, norm,
    activation, dropout), then train(model, *train_data, steps, lr, batch_size, seed).

    Returns:
        {name: {"train_loss": evaluate on the whole training set, "test_loss": evaluate on the test set,
                "curve": the per-step training losses}} in the order of variants
    """
    results: dict[str, dict[str, Any]] = {}
    d_in = train_data[0].shape[1]
    for name, (norm, activation) in variants.items():
        torch.manual_seed(seed)
        model = ToyNet(d_in, d_model, n_blocks, norm, activation, dropout)
        curve = train(model, *train_data, steps, lr, batch_size, seed)
        results[name] = {"train_loss": evaluate(model, *train_data), "test_loss": evaluate(model, *test_data),
                         "curve": curve}
    return results


def plot_ablation(results: dict[str, dict[str, Any]]) -> Figure:
    """One axes of grouped bars: for each variant (in order, x tick label = its name) a bar of its
    train_loss and a bar of its test_loss, drawn as two ax.bar calls labelled "train" and "test",
    with y label "loss" and a legend.

    Returns:
        a matplotlib Figure
    """
    import matplotlib.pyplot as plt

    names = list(results)
    pos = torch.arange(len(names)).double().numpy()
    fig, ax = plt.subplots(figsize=(1.2 * len(names) + 2, 3.5))
    ax.bar(pos - 0.2, [results[n]["train_loss"] for n in names], width=0.4, label="train")
    ax.bar(pos + 0.2, [results[n]["test_loss"] for n in names], width=0.4, label="test")
    ax.set_xticks(pos, labels=names)
    ax.set_ylabel("loss")
    ax.legend()
    return fig
