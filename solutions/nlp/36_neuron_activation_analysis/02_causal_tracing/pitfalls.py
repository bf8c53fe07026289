"""Plausible wrong versions of the causal-tracing functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch

from grader import lm
from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from causal_tracing import patched_logits, residual_stream


@pitfall(replaces="residual_stream", why="records each block's normalised input ln1(x) instead of the residual stream")
def normalised_states(model: lm.CharGPT, idx: torch.Tensor) -> torch.Tensor:
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        states = []
        for block in model.blocks:
            states.append(block.ln1(x))
            x = block(x, positions)
        states.append(model.ln_f(x))
    return torch.stack(states)


@pitfall(replaces="patched_logits", why="off by one layer: overwrites the output of block `layer` instead of its input")
def patch_after_block(model: lm.CharGPT, idx: torch.Tensor, layer: int, position: int, value: torch.Tensor) -> torch.Tensor:
    n_layer, T = len(model.blocks), idx.shape[1]
    if not 0 <= layer <= n_layer or not 0 <= position < T:
        raise ValueError("bad site")
    positions = torch.arange(T)
    with torch.no_grad():
        x = model.embed(idx)
        for i, block in enumerate(model.blocks):
            x = block(x, positions)
            if i == layer:
                x = x.clone()
                x[:, position] = value
        if layer == n_layer:
            x = x.clone()
            x[:, position] = value
        return model.head(model.ln_f(x))


@pitfall(replaces="patched_logits", why="loops over the blocks only: a patch at layer L (after the last block) is never applied")
def misses_final_state(model: lm.CharGPT, idx: torch.Tensor, layer: int, position: int, value: torch.Tensor) -> torch.Tensor:
    n_layer, T = len(model.blocks), idx.shape[1]
    if not 0 <= layer <= n_layer or not 0 <= position < T:
        raise ValueError("bad site")
    positions = torch.arange(T)
    with torch.no_grad():
        x = model.embed(idx)
        for i, block in enumerate(model.blocks):
            if i == layer:
                x = x.clone()
                x[:, position] = value
            x = block(x, positions)
        return model.head(model.ln_f(x))


@pitfall(replaces="patched_logits", why="slices x[:, position:]: overwrites every position from `position` on, not the one site")
def patches_from_position_onwards(model: lm.CharGPT, idx: torch.Tensor, layer: int, position: int,
                                  value: torch.Tensor) -> torch.Tensor:
    n_layer, T = len(model.blocks), idx.shape[1]
    if not 0 <= layer <= n_layer or not 0 <= position < T:
        raise ValueError("bad site")
    positions = torch.arange(T)
    with torch.no_grad():
        x = model.embed(idx)
        for i, block in enumerate(model.blocks):
            if i == layer:
                x = x.clone()
                x[:, position:] = value[..., None, :] if value.ndim == 2 else value
            x = block(x, positions)
        if layer == n_layer:
            x = x.clone()
            x[:, position:] = value[..., None, :] if value.ndim == 2 else value
        return model.head(model.ln_f(x))


def _p(logits: torch.Tensor, target: int) -> float:
    return logits[0, -1].double().softmax(-1)[target].item()


@pitfall(replaces="causal_trace", why="noising instead of denoising: patches corrupt states into the clean run")
def reversed_patching(model: lm.CharGPT, clean: torch.Tensor, corrupt: torch.Tensor, target: int) -> np.ndarray:
    if clean.shape != corrupt.shape or clean.ndim != 1:
        raise ValueError("bad pair")
    with torch.no_grad():
        p_clean, p_corrupt = _p(model(clean[None]), target), _p(model(corrupt[None]), target)
    if p_clean == p_corrupt:
        raise ValueError("nothing to restore")
    states = residual_stream(model, corrupt[None])
    return np.array([[(_p(patched_logits(model, clean[None], layer, t, states[layer, 0, t]), target) - p_corrupt)
                      / (p_clean - p_corrupt) for t in range(len(clean))] for layer in range(states.shape[0])])


@pitfall(replaces="causal_trace", why="reports p_patched / p_clean: forgets to subtract the corrupted baseline")
def ratio_to_clean(model: lm.CharGPT, clean: torch.Tensor, corrupt: torch.Tensor, target: int) -> np.ndarray:
    if clean.shape != corrupt.shape or clean.ndim != 1:
        raise ValueError("bad pair")
    with torch.no_grad():
        p_clean, p_corrupt = _p(model(clean[None]), target), _p(model(corrupt[None]), target)
    if p_clean == p_corrupt:
        raise ValueError("nothing to restore")
    states = residual_stream(model, clean[None])
    return np.array([[_p(patched_logits(model, corrupt[None], layer, t, states[layer, 0, t]), target) / p_clean
                      for t in range(len(clean))] for layer in range(states.shape[0])])


@pitfall(replaces="causal_trace", why="measures the target's probability at the patched position instead of the last one")
def measured_at_patch(model: lm.CharGPT, clean: torch.Tensor, corrupt: torch.Tensor, target: int) -> np.ndarray:
    if clean.shape != corrupt.shape or clean.ndim != 1:
        raise ValueError("bad pair")
    with torch.no_grad():
        lc, lk = model(clean[None])[0].double().softmax(-1), model(corrupt[None])[0].double().softmax(-1)
    if lc[-1, target] == lk[-1, target]:
        raise ValueError("nothing to restore")
    states = residual_stream(model, clean[None])
    out = np.empty((states.shape[0], len(clean)))
    for layer in range(states.shape[0]):
        for t in range(len(clean)):
            p = patched_logits(model, corrupt[None], layer, t, states[layer, 0, t])[0, t].double().softmax(-1)[target]
            den = (lc[t, target] - lk[t, target]).item()
            out[layer, t] = (p.item() - lk[t, target].item()) / (den if den else 1.0)
    return out
