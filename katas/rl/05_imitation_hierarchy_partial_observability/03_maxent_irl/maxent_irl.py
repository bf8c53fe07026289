"""rl-05-3: maximum-entropy inverse RL on a gridworld. Edit this file; `grader check rl-05-3` tests it."""
from __future__ import annotations

import numpy as np


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
    """The maximum-entropy (soft-optimal) policy for a state reward:

        Q(s, a) = reward(s) + gamma * sum_s' T(s, a, s') V(s'),   V(s) = logsumexp_a Q(s, a)
        pi(a|s) = exp(Q(s, a) - V(s))

    V by iteration from V = 0: each sweep computes V_new = logsumexp_a Q with Q from the current V, then
    V = V_new; stop after the first sweep with max |V_new - V| < tol, or after max_iter sweeps. The
    policy is exp(Q - logsumexp_a Q) with Q computed from that final V. Inputs are not modified.

    Raises:
        ValueError: gamma outside [0, 1).

    Shapes:
        T: (S, A, S); reward: (S,); returns: (S, A)
    """
    raise NotImplementedError("soft_value_iteration: value iteration with logsumexp in place of max")


def state_visitation(T: np.ndarray, policy: np.ndarray, p0: np.ndarray, horizon: int) -> np.ndarray:
    """Expected number of visits to each state in the first `horizon` steps (t = 0 .. horizon - 1):
        d_0 = p0,  d_t+1(s') = sum_{s, a} d_t(s) policy(a|s) T(s, a, s'),  D = sum_{t < horizon} d_t
    (so D sums to horizon). Inputs are not modified.

    Raises:
        ValueError: horizon < 1; policy rows not probability distributions.

    Shapes:
        returns: (S,)
    """
    raise NotImplementedError("state_visitation: propagate the state distribution forward and accumulate")


def maxent_irl(T: np.ndarray, features: np.ndarray, expert_trajs: np.ndarray, gamma: float, lr: float = 0.1,
               iters: int = 200) -> np.ndarray:
    """Reward weights theta (reward = features @ theta) by gradient ascent on the MaxEnt likelihood.

    horizon = expert_trajs.shape[1]; mu_E = mean over trajectories of sum_t features[s_t]; p0 = the
    empirical distribution of the trajectories' first states; theta = 0. Each of `iters` steps:
        policy = soft_value_iteration(T, features @ theta, gamma)
        mu     = state_visitation(T, policy, p0, horizon) @ features
        theta += lr * (mu_E - mu) / horizon

    Shapes:
        features: (S, F); expert_trajs: (N, horizon) integer states; returns: (F,)
    """
    raise NotImplementedError("maxent_irl: match the expert's expected feature counts")
