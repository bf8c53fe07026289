"""rl-01-5: n-step returns and TD(lambda) eligibility traces. Edit this file; `grader check rl-01-5` tests it."""
from __future__ import annotations

import numpy as np


def n_step_returns(rewards: np.ndarray, values: np.ndarray, gamma: float, n: int) -> np.ndarray:
    """n-step returns of one trajectory segment.

        G_t^(n) = r_t + gamma r_{t+1} + ... + gamma^(m-1) r_{t+m-1} + gamma^m values[t+m],  m = min(n, T - t)

    values[t] is the value estimate of the state at time t; values[T] is the bootstrap value of the
    last state (pass 0 if the episode terminated there). n = 1 gives TD(0) targets, n >= T gives
    Monte Carlo returns (plus the discounted bootstrap). Inputs are not modified.

    Raises:
        ValueError: n < 1; gamma outside [0, 1]; len(values) != len(rewards) + 1.

    Shapes:
        rewards: (T,); values: (T + 1,)
        returns: (T,) float64
    """
    raise NotImplementedError("n_step_returns: n discounted rewards, then a discounted bootstrap")


def lambda_returns(rewards: np.ndarray, values: np.ndarray, gamma: float, lam: float) -> np.ndarray:
    """lambda-returns of one trajectory segment (values as in n_step_returns).

        G^lambda_t = (1 - lam) sum_{n=1}^{T-t-1} lam^(n-1) G_t^(n) + lam^(T-t-1) G_t^(T-t)

    lam = 0 gives TD(0) targets, lam = 1 the Monte Carlo return. Inputs are not modified.

    Raises:
        ValueError: gamma or lam outside [0, 1]; len(values) != len(rewards) + 1.

    Shapes:
        rewards: (T,); values: (T + 1,)
        returns: (T,) float64
    """
    raise NotImplementedError("lambda_returns: G_t = r_t + gamma * ((1 - lam) V_{t+1} + lam G_{t+1})")


def td_lambda_episode(V: np.ndarray, states: np.ndarray, rewards: np.ndarray, terminated: bool,
                      alpha: float, gamma: float, lam: float) -> np.ndarray:
    """One episode of offline TD(lambda) with accumulating eligibility traces; returns the new table.

    V stays fixed during the episode; the increments are summed and applied at the end:
        delta_t = rewards[t] + gamma * V[states[t+1]] - V[states[t]]   (V[states[T]] counts as 0 if terminated)
        e      <- gamma * lam * e;   e[states[t]] += 1
        dV     += alpha * delta_t * e
    returns V + dV (a new array; V is not modified).

    Raises:
        ValueError: gamma or lam outside [0, 1]; len(states) != len(rewards) + 1.

    Shapes:
        V: (n_states,) float (float32 or float64); states: (T + 1,) integer; rewards: (T,)
        returns: (n_states,) float64 (also for a float32 V)
    """
    raise NotImplementedError("td_lambda_episode: decay the traces, bump the current state, accumulate alpha*delta*e")
