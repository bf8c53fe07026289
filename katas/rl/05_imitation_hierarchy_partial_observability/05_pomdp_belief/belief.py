"""rl-05-5: the POMDP belief update (Bayes filter). Edit this file; `grader check rl-05-5` tests it."""
from __future__ import annotations

import numpy as np


def observation_probability(b: np.ndarray, a: int, o: int, T: np.ndarray, Z: np.ndarray) -> float:
    """P(o | b, a) = sum_s' Z[a, s', o] * sum_s T[s, a, s'] b(s): how likely observation o is after
    taking action a in belief b. Inputs are not modified.

    Raises:
        ValueError: shapes other than b (S,), T (S, A, S), Z (A, S, n_obs).
    """
    raise NotImplementedError("observation_probability: predict, then weight by the observation model")


def belief_update(b: np.ndarray, a: int, o: int, T: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """One Bayes-filter step: b'(s') = Z[a, s', o] * sum_s T[s, a, s'] b(s) / P(o | b, a).

    Prediction through the transition model, then correction by the observation likelihood of the
    NEW state, then normalisation. Returns a new float64 array; b is not modified.

    Raises:
        ValueError: P(o | b, a) = 0 (an impossible observation); shapes as in observation_probability.

    Shapes:
        b: (S,); T: (S, A, S); Z: (A, S, n_obs); returns: (S,)
    """
    raise NotImplementedError("belief_update: predict, correct, normalise")


def bayes_filter(b0: np.ndarray, actions: np.ndarray, observations: np.ndarray, T: np.ndarray,
                 Z: np.ndarray) -> np.ndarray:
    """Beliefs b_0 = b0, b_t = belief_update(b_t-1, actions[t-1], observations[t-1], T, Z).

    Raises:
        ValueError: len(actions) != len(observations), or as belief_update.

    Shapes:
        returns: (len(actions) + 1, S) float64, row 0 = b0
    """
    raise NotImplementedError("bayes_filter: apply belief_update along the history")
