"""nlp-17-1: speculative decoding. Edit this file; `grader check nlp-17-1` tests it."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

# A model maps a token list to one next-token distribution per position: row i is P(x_{i+1} | x_0..x_i).
# One call is one forward pass, however many positions it scores.
Model = Callable[[list[int]], np.ndarray]


def speculative_greedy(target: Model, draft: Model, prompt: Sequence[int], n_new: int,
                       k: int) -> tuple[list[int], int]:
    """Greedy speculative decoding: the output is exactly the target's greedy output.

    Each round: the draft proposes m = min(k, n_new - generated) tokens greedily (argmax, one draft
    call per token); the target scores context + proposal in ONE call; the longest prefix of the
    proposal that matches the target's argmax is accepted, followed by the target's own argmax at the
    first mismatch (a correction) or after the last proposed token (a bonus). Tokens past n_new are
    dropped. Ties in argmax go to the lowest token id (np.argmax). `prompt` is not modified.

    Shapes:
        target(tokens), draft(tokens): (len(tokens), V) next-token distributions
        returns: (the n_new generated tokens, the number of target calls)

    Raises:
        ValueError: if k < 1, n_new < 0 or the prompt is empty.
    """
    raise NotImplementedError("speculative_greedy: propose k with the draft, verify in one target call")


def residual_distribution(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The distribution a rejected draft token is resampled from: norm(max(p - q, 0)).

    If p == q everywhere (nothing to renormalise) return a copy of p. Inputs are not modified.

    Shapes:
        p, q: (V,) target and draft distributions
        returns: (V,) float64
    """
    raise NotImplementedError("residual_distribution: positive part of p - q, normalised")


def verify_step(p: np.ndarray, q: np.ndarray, drafted: Sequence[int], rng: np.random.Generator) -> list[int]:
    """One verification of m drafted tokens by the rejection rule of Leviathan et al. (2023).

    For i = 0..m-1: accept drafted[i] with probability min(1, p[i, x] / q[i, x]); on the first rejection
    append a token drawn from residual_distribution(p[i], q[i]) and stop. If all m are accepted, append
    a bonus token drawn from p[m]. Every random number comes from `rng`. Inputs are not modified.
    drafted[i] has q[i, drafted[i]] > 0 (it was sampled from q). A token with p[i, x] = 0 is never
    accepted. Rows of p may sum to 1 only within float32 rounding (a float32 softmax cast to float64,
    off by up to 1e-6): normalise p[m] before drawing from it (rng.choice tolerates only ~1e-8).

    Shapes:
        p: (m + 1, V) target distributions at the m drafted positions and one past them
        q: (m, V) draft distributions the drafted tokens were sampled from
        returns: between 1 and m + 1 tokens
    """
    raise NotImplementedError("verify_step: accept with min(1, p/q), else resample from the residual and stop")


def speculative_sample(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int,
                       rng: np.random.Generator) -> list[int]:
    """Speculative sampling: n_new tokens distributed exactly as sampling from the target alone.

    Each round the draft samples m = min(k, n_new - generated) tokens (one draft call each), the
    target scores them in one call, verify_step decides; tokens past n_new are dropped. All
    randomness from `rng` (same rng state, same tokens). The models may return float32 rows that sum
    to 1 only within float32 rounding (up to 1e-6 off): normalise a draft row before sampling from it.

    Shapes:
        returns: the n_new generated tokens

    Raises:
        ValueError: if k < 1, n_new < 0 or the prompt is empty.
    """
    raise NotImplementedError("speculative_sample: draft samples, target verifies with verify_step")
