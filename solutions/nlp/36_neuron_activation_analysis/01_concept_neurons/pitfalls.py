"""Plausible wrong versions of the concept-neuron functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch
from scipy.stats import rankdata

from grader import lm
from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from concept_neurons import neuron_auroc


@pitfall(replaces="mlp_activations", why="reads fc(ln2(x)) before the GELU: pre-activations, not the neurons' output")
def pre_activation(model: lm.CharGPT, idx: torch.Tensor, layer: int) -> torch.Tensor:
    if not 0 <= layer < len(model.blocks):
        raise ValueError("bad layer")
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        for block in model.blocks[:layer]:
            x = block(x, positions)
        block = model.blocks[layer]
        x = x + block.attn(block.ln1(x), positions)
        return block.fc(block.ln2(x))


@pitfall(replaces="mlp_activations", why="skips the block's attention: feeds the block's input straight to the MLP")
def skips_attention(model: lm.CharGPT, idx: torch.Tensor, layer: int) -> torch.Tensor:
    if not 0 <= layer < len(model.blocks):
        raise ValueError("bad layer")
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        for block in model.blocks[:layer]:
            x = block(x, positions)
        block = model.blocks[layer]
        return torch.nn.functional.gelu(block.fc(block.ln2(x)))


def _check(acts: np.ndarray, labels: np.ndarray) -> np.ndarray:
    labels = np.asarray(labels, dtype=bool)
    if acts.ndim != 2 or labels.shape != (acts.shape[0],) or labels.all() or not labels.any():
        raise ValueError("bad input")
    return labels


@pitfall(replaces="neuron_auroc", why="ordinal ranks (ties broken by position) instead of average ranks: ties do not count 1/2")
def ordinal_ranks(acts: np.ndarray, labels: np.ndarray) -> np.ndarray:
    labels = _check(acts, labels)
    n1, n0 = labels.sum(), (~labels).sum()
    ranks = rankdata(acts, axis=0, method="ordinal")
    return (ranks[labels].sum(0) - n1 * (n1 + 1) / 2) / (n1 * n0)


@pitfall(replaces="neuron_auroc", why="ranks the other positions: 1 - AUROC, which favours neurons that go quiet")
def ranks_the_negatives(acts: np.ndarray, labels: np.ndarray) -> np.ndarray:
    labels = _check(acts, labels)
    n1, n0 = labels.sum(), (~labels).sum()
    ranks = rankdata(acts, axis=0)
    return (ranks[~labels].sum(0) - n0 * (n0 + 1) / 2) / (n1 * n0)


@pitfall(replaces="neuron_auroc", why="difference of mean activations instead of AUROC: depends on the neuron's scale")
def mean_difference(acts: np.ndarray, labels: np.ndarray) -> np.ndarray:
    labels = _check(acts, labels)
    return acts[labels].mean(0) - acts[~labels].mean(0)


@pitfall(replaces="concept_neurons", why="ranks by |AUROC - 0.5|: a neuron that is silent on the concept counts as firing for it")
def two_sided(acts: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    scores = np.abs(neuron_auroc(acts, labels) - 0.5)
    if not 0 <= k <= len(scores):
        raise ValueError("bad k")
    return np.argsort(-scores, kind="stable")[:k]


@pitfall(replaces="concept_neurons", why="argsort ascending then reversed: ties come out highest index first")
def reversed_ties(acts: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    scores = neuron_auroc(acts, labels)
    if not 0 <= k <= len(scores):
        raise ValueError("bad k")
    return np.argsort(scores, kind="stable")[::-1][:k]
