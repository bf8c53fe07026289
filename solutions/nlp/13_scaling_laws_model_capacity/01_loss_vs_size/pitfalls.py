"""Plausible wrong size counts, ladders and plots that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from matplotlib.figure import Figure
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from loss_vs_size import WORDS, TinyLM, count_parameters, lm_loss


@pitfall(replaces="count_parameters", why="leaves out the token embedding only: position embeddings and head still counted")
def only_token_embedding_excluded(model: nn.Module, non_embedding: bool = True) -> int:
    skip = ("tok_emb",) if non_embedding else ()
    return sum(p.numel() for name, p in model.named_parameters() if name.split(".")[0] not in skip)


@pitfall(replaces="count_parameters", why="counts parameter tensors instead of scalars")
def counts_tensors(model: nn.Module, non_embedding: bool = True) -> int:
    skip = ("tok_emb", "pos_emb", "head") if non_embedding else ()
    return sum(1 for name, _ in model.named_parameters() if name.split(".")[0] not in skip)


@pitfall(replaces="parameter_formula", why="only the 12 L d^2 of the weight matrices: no biases, no LayerNorms")
def weights_only(d_model: int, n_layers: int, vocab_size: int, max_len: int, non_embedding: bool = True) -> int:
    body = 12 * n_layers * d_model * d_model
    return body if non_embedding else body + 2 * vocab_size * d_model + max_len * d_model


@pitfall(replaces="parameter_formula", why="a feed-forward layer of width d instead of 4d")
def narrow_mlp(d_model: int, n_layers: int, vocab_size: int, max_len: int, non_embedding: bool = True) -> int:
    d = d_model
    body = n_layers * (2 * d + 3 * d * d + 3 * d + d * d + d + 2 * d + d * d + d + d * d + d) + 2 * d
    return body if non_embedding else body + 2 * vocab_size * d + max_len * d


@pitfall(replaces="train_ladder", why="one batch generator for the whole ladder: each size sees different batches")
def shared_generator(configs: dict[str, dict], train: torch.Tensor, held_out: torch.Tensor, steps: int,
                     batch_size: int, lr: float, seed: int, dtype: torch.dtype = torch.float32) -> list[dict]:
    results = []
    gen = torch.Generator().manual_seed(seed)
    for name, config in configs.items():
        torch.manual_seed(seed)
        model = TinyLM(len(WORDS), max_len=train.shape[1], **config).to(dtype)
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
        for _ in range(steps):
            batch = train[torch.randint(len(train), (batch_size,), generator=gen)]
            loss = lm_loss(model(batch), batch)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            results.append({"name": name, "params": count_parameters(model),
                            "loss": lm_loss(model(held_out), held_out).item()})
    return sorted(results, key=lambda r: r["params"])


@pitfall(replaces="train_ladder", why="reports the last training batch's loss instead of the held-out loss")
def training_loss_reported(configs: dict[str, dict], train: torch.Tensor, held_out: torch.Tensor, steps: int,
                           batch_size: int, lr: float, seed: int, dtype: torch.dtype = torch.float32) -> list[dict]:
    results = []
    for name, config in configs.items():
        torch.manual_seed(seed)
        model = TinyLM(len(WORDS), max_len=train.shape[1], **config).to(dtype)
        gen = torch.Generator().manual_seed(seed)
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
        for _ in range(steps):
            batch = train[torch.randint(len(train), (batch_size,), generator=gen)]
            loss = lm_loss(model(batch), batch)
            opt.zero_grad()
            loss.backward()
            opt.step()
        results.append({"name": name, "params": count_parameters(model), "loss": loss.item()})
    return sorted(results, key=lambda r: r["params"])


@pitfall(replaces="plot_loss_vs_size", why="linear axes: the power law looks like an elbow, not a line")
def linear_axes(results: list[dict]) -> Figure:
    ordered = sorted(results, key=lambda r: r["params"])
    fig = Figure()
    ax = fig.subplots()
    ax.plot([r["params"] for r in ordered], [r["loss"] for r in ordered], marker="o")
    for r in ordered:
        ax.annotate(r["name"], (r["params"], r["loss"]))
    ax.set_xlabel("parameters")
    ax.set_ylabel("loss")
    return fig


@pitfall(replaces="plot_loss_vs_size", why="plots the results in the order given, so the line zig-zags")
def unsorted_line(results: list[dict]) -> Figure:
    fig = Figure()
    ax = fig.subplots()
    ax.plot([r["params"] for r in results], [r["loss"] for r in results], marker="o")
    for r in results:
        ax.annotate(r["name"], (r["params"], r["loss"]))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("parameters")
    ax.set_ylabel("loss")
    return fig
