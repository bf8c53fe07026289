"""rl-04-4: off-policy evaluation (importance sampling, weighted IS, doubly robust). Edit this file; `grader check rl-04-4` tests it."""
from __future__ import annotations

import numpy as np

Episode = dict[str, np.ndarray]  # keys "states", "actions", "rewards", each (T,)


def step_ratios(episode: Episode, pi_e: np.ndarray, pi_b: np.ndarray) -> np.ndarray:
    """Per-step importance ratios pi_e(a_t|s_t) / pi_b(a_t|s_t) of one episode.

    Raises:
        ValueError: pi_e or pi_b not an (n_states, n_actions) matrix of probability rows (non-negative,
            summing to 1 within 1e-8); pi_b gives probability 0 to an action the episode took.

    Shapes:
        returns: (T,)
    """
    raise NotImplementedError("step_ratios: target probability over behaviour probability, per step")


def discounted_return(rewards: np.ndarray, gamma: float) -> float:
    """sum_t gamma^t r_t."""
    raise NotImplementedError("discounted_return")


def is_estimate(episodes: list[Episode], pi_e: np.ndarray, pi_b: np.ndarray, gamma: float) -> float:
    """Ordinary (trajectory-wise) importance sampling: mean_i rho_i G_i, with rho_i the product of
    episode i's step ratios and G_i its discounted return. Unbiased. Episodes are not modified.

    Raises:
        ValueError: as step_ratios.
    """
    raise NotImplementedError("is_estimate: average of ratio-weighted returns")


def wis_estimate(episodes: list[Episode], pi_e: np.ndarray, pi_b: np.ndarray, gamma: float) -> float:
    """Weighted importance sampling over a non-empty list of episodes: sum_i rho_i G_i / sum_i rho_i
    (0.0 if every weight is 0).
    Biased but consistent, and always within the range of the returns.

    Raises:
        ValueError: as step_ratios.
    """
    raise NotImplementedError("wis_estimate: normalise by the sum of the weights")


def dr_estimate(episodes: list[Episode], pi_e: np.ndarray, pi_b: np.ndarray, gamma: float,
                q_hat: np.ndarray) -> float:
    """Doubly robust estimate (Jiang & Li 2016), the mean over episodes of V_DR computed backwards:

        V_DR(after the last step) = 0
        V_DR(t) = V_hat(s_t) + rho_t * (r_t + gamma * V_DR(t + 1) - q_hat(s_t, a_t)),
        V_hat(s) = sum_a pi_e(a|s) q_hat(s, a),   rho_t = step ratio at t.

    Unbiased for any q_hat; low variance when q_hat is close to Q^pi_e.

    Raises:
        ValueError: as step_ratios.

    Shapes:
        q_hat: (n_states, n_actions)
    """
    raise NotImplementedError("dr_estimate: the backward recursion with a Q-hat control variate")
