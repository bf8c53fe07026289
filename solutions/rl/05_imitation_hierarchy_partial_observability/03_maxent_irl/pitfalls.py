"""Plausible wrong MaxEnt IRL pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.special import logsumexp

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from maxent_irl import soft_value_iteration, state_visitation


@pitfall(replaces="soft_value_iteration", why="hard max backup (ordinary value iteration): a deterministic policy")
def hard_max(T: np.ndarray, reward: np.ndarray, gamma: float, tol: float = 1e-10, max_iter: int = 10_000) -> np.ndarray:
    if not 0.0 <= gamma < 1.0:
        raise ValueError("gamma")
    V = np.zeros(T.shape[0])
    for _ in range(max_iter):
        new = (reward[:, None] + gamma * T @ V).max(1)
        done = np.abs(new - V).max() < tol
        V = new
        if done:
            break
    Q = reward[:, None] + gamma * T @ V
    return np.eye(T.shape[1])[Q.argmax(1)]


@pitfall(replaces="soft_value_iteration", why="softmax over the immediate reward only (no lookahead)")
def myopic(T: np.ndarray, reward: np.ndarray, gamma: float, tol: float = 1e-10, max_iter: int = 10_000) -> np.ndarray:
    if not 0.0 <= gamma < 1.0:
        raise ValueError("gamma")
    Q = reward[:, None] + gamma * T @ reward
    return np.exp(Q - logsumexp(Q, axis=1, keepdims=True))


@pitfall(replaces="state_visitation", why="counts horizon + 1 time steps (d_0 ... d_H)")
def one_step_too_many(T: np.ndarray, policy: np.ndarray, p0: np.ndarray, horizon: int) -> np.ndarray:
    if horizon < 1 or np.any(policy < 0) or not np.allclose(policy.sum(1), 1.0, atol=1e-8):
        raise ValueError("bad input")
    P_pi = np.einsum("sa,sat->st", policy, T)
    d, total = np.asarray(p0, dtype=np.float64), np.zeros(T.shape[0])
    for _ in range(horizon + 1):
        total += d
        d = d @ P_pi
    return total


@pitfall(replaces="state_visitation", why="propagates with the transposed transition matrix (P_pi @ d)")
def transposed(T: np.ndarray, policy: np.ndarray, p0: np.ndarray, horizon: int) -> np.ndarray:
    if horizon < 1 or np.any(policy < 0) or not np.allclose(policy.sum(1), 1.0, atol=1e-8):
        raise ValueError("bad input")
    P_pi = np.einsum("sa,sat->st", policy, T)
    d, total = np.asarray(p0, dtype=np.float64), np.zeros(T.shape[0])
    for _ in range(horizon):
        total += d
        d = P_pi @ d
    return total


@pitfall(replaces="maxent_irl", why="gradient sign flipped: moves the reward away from the expert's features")
def gradient_sign(T: np.ndarray, features: np.ndarray, expert_trajs: np.ndarray, gamma: float, lr: float = 0.1,
                  iters: int = 200) -> np.ndarray:
    horizon = expert_trajs.shape[1]
    mu_expert = features[expert_trajs].sum(axis=1).mean(axis=0)
    p0 = np.bincount(expert_trajs[:, 0], minlength=T.shape[0]) / len(expert_trajs)
    theta = np.zeros(features.shape[1])
    for _ in range(iters):
        mu = state_visitation(T, soft_value_iteration(T, features @ theta, gamma), p0, horizon) @ features
        theta = theta - lr * (mu_expert - mu) / horizon
    return theta
