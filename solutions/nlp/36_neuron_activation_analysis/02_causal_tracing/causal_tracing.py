"""Reference solution for nlp-36-2."""
from __future__ import annotations

import numpy as np
import torch

from grader import lm


@torch.no_grad()
def residual_stream(model: lm.CharGPT, idx: torch.Tensor) -> torch.Tensor:
    positions = torch.arange(idx.shape[1])
    x = model.embed(idx)
    states = [x]
    for block in model.blocks:
        x = block(x, positions)
        states.append(x)
    return torch.stack(states)


@torch.no_grad()
def patched_logits(model: lm.CharGPT, idx: torch.Tensor, layer: int, position: int,
                   value: torch.Tensor) -> torch.Tensor:
    n_layer, T = len(model.blocks), idx.shape[1]
    if not 0 <= layer <= n_layer or not 0 <= position < T:
        raise ValueError(f"no state at layer={layer}, position={position} in a {n_layer}-block model on {T} tokens")
    positions = torch.arange(T)
    x = model.embed(idx)
    for i, block in enumerate(model.blocks):
        if i == layer:
            x[:, position] = value          # x is this pass's own activation: writing into it is safe
        x = block(x, positions)
    if layer == n_layer:
        x[:, position] = value
    return model.head(model.ln_f(x))


def causal_trace(model: lm.CharGPT, clean: torch.Tensor, corrupt: torch.Tensor, target: int) -> np.ndarray:
    if clean.shape != corrupt.shape or clean.ndim != 1:
        raise ValueError(f"clean and corrupt must be 1-D of one length, got {tuple(clean.shape)}, {tuple(corrupt.shape)}")
    with torch.no_grad():
        p = model(torch.stack([clean, corrupt]))[:, -1].double().softmax(-1)[:, target]
    p_clean, p_corrupt = p.tolist()
    if p_clean == p_corrupt:
        raise ValueError("the corruption does not change p(target): nothing to restore")
    states = residual_stream(model, clean[None])
    out = np.empty((len(model.blocks) + 1, len(clean)))
    for layer in range(len(model.blocks) + 1):
        for t in range(len(clean)):
            logits = patched_logits(model, corrupt[None], layer, t, states[layer, :, t])
            p_patched = logits[:, -1].double().softmax(-1)[:, target].item()
            out[layer, t] = (p_patched - p_corrupt) / (p_clean - p_corrupt)
    return out
