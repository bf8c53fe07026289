"""Plausible wrong versions of the probing functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

from grader import lm
from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from probes import char_class, probe_predict_proba


@pitfall(replaces="hidden_states", why="reads every block's output through the final LayerNorm ln_f")
def through_final_norm(model: lm.CharGPT, idx: torch.Tensor) -> torch.Tensor:
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        states = [model.ln_f(x)]
        for block in model.blocks:
            x = block(x, positions)
            states.append(model.ln_f(x))
    return torch.stack(states)


@pitfall(replaces="hidden_states", why="keeps the state after the attention sublayer only, before the MLP is added")
def attention_half_only(model: lm.CharGPT, idx: torch.Tensor) -> torch.Tensor:
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        states = [x]
        for block in model.blocks:
            mid = x + block.attn(block.ln1(x), positions)
            x = block(x, positions)
            states.append(mid)
    return torch.stack(states)


@pitfall(replaces="previous_char_labels", why="labels the current character instead of the previous one")
def current_char(idx: torch.Tensor) -> torch.Tensor:
    classes = torch.tensor([char_class(c) for c in lm.vocab()], dtype=torch.long)
    labels = classes[idx]
    labels[:, 0] = -1
    return labels


@pitfall(replaces="previous_char_labels", why="shifts the wrong way: the class of the NEXT character")
def next_char(idx: torch.Tensor) -> torch.Tensor:
    classes = torch.tensor([char_class(c) for c in lm.vocab()], dtype=torch.long)
    labels = torch.full_like(idx, -1)
    labels[:, :-1] = classes[idx[:, 1:]]
    return labels


@pitfall(replaces="probe_predict_proba", why="standardizes with statistics of train and test together (test leaks into the probe)")
def leaky_scaling(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, C: float = 1.0) -> np.ndarray:
    both = np.concatenate([train_x, test_x])
    mean, std = both.mean(axis=0), both.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    probe = LogisticRegression(C=C, tol=1e-8, max_iter=5000).fit((train_x - mean) / std, train_y)
    return probe.predict_proba((test_x - mean) / std)


@pitfall(replaces="probe_predict_proba", why="no standardization: C penalizes features on a 50x scale 2500x less")
def unscaled_probe(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, C: float = 1.0) -> np.ndarray:
    return LogisticRegression(C=C, tol=1e-8, max_iter=5000).fit(train_x, train_y).predict_proba(test_x)


@pitfall(replaces="probe_predict_proba", why="divides by the sample standard deviation (ddof=1) instead of ddof=0")
def sample_std(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, C: float = 1.0) -> np.ndarray:
    mean, std = train_x.mean(axis=0), train_x.std(axis=0, ddof=1)
    std = np.where(std == 0, 1.0, std)
    probe = LogisticRegression(C=C, tol=1e-8, max_iter=5000).fit((train_x - mean) / std, train_y)
    return probe.predict_proba((test_x - mean) / std)


@pitfall(replaces="layer_probe_accuracies", why="keeps the -1 positions as a fourth class instead of dropping them")
def keeps_unlabelled(states: torch.Tensor, labels: torch.Tensor, n_train: int, C: float = 1.0) -> np.ndarray:
    y = labels.reshape(-1).numpy()
    if n_train < 1 or n_train >= int((labels >= 0).sum()):
        raise ValueError("bad n_train")
    classes = np.unique(y[:n_train])
    accs = []
    for layer in states:
        x = layer.reshape(-1, layer.shape[-1]).double().numpy()
        proba = probe_predict_proba(x[:n_train], y[:n_train], x[n_train:], C=C)
        accs.append(np.mean(classes[proba.argmax(axis=1)] == y[n_train:]))
    return np.array(accs)


@pitfall(replaces="layer_probe_accuracies", why="scores the probe on its own training rows (no held-out split)")
def train_accuracy(states: torch.Tensor, labels: torch.Tensor, n_train: int, C: float = 1.0) -> np.ndarray:
    keep = (labels >= 0).reshape(-1).numpy()
    y = labels.reshape(-1).numpy()[keep]
    if n_train < 1 or n_train >= len(y):
        raise ValueError("bad n_train")
    classes = np.unique(y[:n_train])
    accs = []
    for layer in states:
        x = layer.reshape(-1, layer.shape[-1]).double().numpy()[keep]
        proba = probe_predict_proba(x[:n_train], y[:n_train], x[:n_train], C=C)
        accs.append(np.mean(classes[proba.argmax(axis=1)] == y[:n_train]))
    return np.array(accs)


@pitfall(replaces="layer_probe_accuracies", why="flattens positions t-major (transposes B and T) so the split mixes rows differently")
def time_major(states: torch.Tensor, labels: torch.Tensor, n_train: int, C: float = 1.0) -> np.ndarray:
    keep = (labels.T >= 0).reshape(-1).numpy()
    y = labels.T.reshape(-1).numpy()[keep]
    if n_train < 1 or n_train >= len(y):
        raise ValueError("bad n_train")
    classes = np.unique(y[:n_train])
    accs = []
    for layer in states:
        x = layer.transpose(0, 1).reshape(-1, layer.shape[-1]).double().numpy()[keep]
        proba = probe_predict_proba(x[:n_train], y[:n_train], x[n_train:], C=C)
        accs.append(np.mean(classes[proba.argmax(axis=1)] == y[n_train:]))
    return np.array(accs)
