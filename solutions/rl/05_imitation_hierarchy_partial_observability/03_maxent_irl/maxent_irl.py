"""Reference solution for rl-05-3."""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp


def gridworld(size: int) -> np.ndarray:
    """Deterministic size x size grid, actions up/right/down/left; moving into a wall stays put (given).
    Returns T (S, A, S') with S = size * size, state = row * size + col."""
    n = size * size
    T = np.zeros((n, 4, n))
    moves = [(-1, 0), (0, 1), (1, 0), (0, -1)]
    for s in range(n):
        r, c = divmod(s, size)
        for a, (dr, dc) in enumerate(moves):
            r2, c2 = min(max(r + dr, 0), size - 1), min(max(c + dc, 0), size - 1)
            T[s, a, r2 * size + c2] = 1.0
    return T


def soft_value_iteration(T: np.ndarray, reward: np.ndarray, gamma: float, tol: float = 1e-10,
                         max_iter: int = 10_000) -> np.ndarray:
    if not 0.0 <= gamma < 1.0:
        raise ValueError(f"gamma must be in [0, 1), got {gamma}")
    V = np.zeros(T.shape[0])
    for _ in range(max_iter):
        Q = reward[:, None] + gamma * T @ V
        new = logsumexp(Q, axis=1)
        done = np.abs(new - V).max() < tol
        V = new
        if done:
            break
    Q = reward[:, None] + gamma * T @ V
    return np.exp(Q - logsumexp(Q, axis=1, keepdims=True))


def state_visitation(T: np.ndarray, policy: np.ndarray, p0: np.ndarray, horizon: int) -> np.ndarray:
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1, got {horizon}")
    if np.any(policy < 0) or not np.allclose(policy.sum(1), 1.0, atol=1e-8):
        raise ValueError("policy rows must be probability distributions")
    P_pi = np.einsum("sa,sat->st", policy, T)
    d, total = np.asarray(p0, dtype=np.float64), np.zeros(T.shape[0])
    for _ in range(horizon):
        total += d
        d = d @ P_pi
    return total


def maxent_irl(T: np.ndarray, features: np.ndarray, expert_trajs: np.ndarray, gamma: float, lr: float = 0.1,
               iters: int = 200) -> np.ndarray:
    horizon = expert_trajs.shape[1]
    mu_expert = features[expert_trajs].sum(axis=1).mean(axis=0)
    p0 = np.bincount(expert_trajs[:, 0], minlength=T.shape[0]) / len(expert_trajs)
    theta = np.zeros(features.shape[1])
    for _ in range(iters):
        policy = soft_value_iteration(T, features @ theta, gamma)
        mu = state_visitation(T, policy, p0, horizon) @ features
        theta = theta + lr * (mu_expert - mu) / horizon
    return theta
