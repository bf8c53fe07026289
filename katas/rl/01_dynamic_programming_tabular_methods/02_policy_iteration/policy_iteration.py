"""rl-01-2: policy iteration. Edit this file; `grader check rl-01-2` tests it."""
from __future__ import annotations

import numpy as np

# gymnasium's transition model, env.unwrapped.P: P[s][a] = [(prob, s_next, reward, terminated), ...]
Transitions = dict[int, dict[int, list[tuple[float, int, float, bool]]]]


def model_arrays(P: Transitions) -> tuple[np.ndarray, np.ndarray]:
    """T[s, a, s'] = probability of reaching s' and continuing; R[s, a] = expected reward (given)."""
    n_s, n_a = len(P), len(P[0])
    T, R = np.zeros((n_s, n_a, n_s)), np.zeros((n_s, n_a))
    for s in range(n_s):
        for a in range(n_a):
            for p, s_next, r, terminated in P[s][a]:
                R[s, a] += p * r
                if not terminated:
                    T[s, a, s_next] += p
    return T, R


def policy_value(P: Transitions, pi: np.ndarray, gamma: float) -> np.ndarray:
    """V^pi of a deterministic policy, exactly: the solution of V = R_pi + gamma * T_pi V.

    R_pi[s] = R[s, pi[s]] and T_pi[s, s'] = T[s, pi[s], s'] (see model_arrays). pi is not modified.

    Raises:
        ValueError: gamma outside [0, 1); pi not an integer array of shape (n_states,) with
            entries in [0, n_actions).

    Shapes:
        pi: (n_states,) integer actions
        returns: (n_states,) float64
    """
    raise NotImplementedError("policy_value: solve (I - gamma T_pi) V = R_pi")


def policy_improvement(P: Transitions, V: np.ndarray, pi: np.ndarray, gamma: float,
                       tol: float = 1e-9) -> np.ndarray:
    """The policy greedy with respect to V, keeping the current action on ties.

    With Q = R + gamma * T V: keep pi[s] if Q[s, pi[s]] >= max_a Q[s, a] - tol; otherwise take the
    smallest action a with Q[s, a] >= max_a Q[s, a] - tol. (Keeping the current action among equals
    is what makes policy iteration stop instead of flipping between equally good policies.)
    V and pi are not modified.

    Raises:
        ValueError: as policy_value, for gamma and pi.

    Shapes:
        V: (n_states,) float64; pi: (n_states,) integer actions
        returns: (n_states,) integer actions
    """
    raise NotImplementedError("policy_improvement: act greedily on Q = R + gamma T V, keeping ties")


def policy_iteration(P: Transitions, gamma: float, pi0: np.ndarray | None = None,
                     max_iter: int = 100) -> tuple[np.ndarray, np.ndarray, int]:
    """Alternate exact evaluation and greedy improvement until the policy is stable.

    Start from pi0 (None: action 0 in every state). Repeat: V = policy_value(pi), evaluations += 1,
    new = policy_improvement(V, pi) (default tol); if new equals pi, or evaluations == max_iter,
    return (V, pi, evaluations); otherwise pi = new. The returned V is the value of the returned pi.
    pi0 is not modified, and the returned pi is a new array (never pi0 itself).

    Raises:
        ValueError: max_iter < 1; gamma or pi0 invalid as in policy_value.

    Shapes:
        pi0: (n_states,) integer actions or None
        returns: V (n_states,) float64, pi (n_states,) integer actions, evaluations: int
    """
    raise NotImplementedError("policy_iteration: evaluate, improve, stop when nothing changes")
