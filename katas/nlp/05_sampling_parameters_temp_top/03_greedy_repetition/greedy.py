"""nlp-05-3: temperature 0 (argmax) and the repetition it causes. Edit this file;
`grader check nlp-05-3` tests it."""
from __future__ import annotations

import numpy as np
import torch


def temperature_probs(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """softmax(logits / temperature), with temperature = 0 meaning greedy (argmax).

    temperature = 0 returns a one-hot row at the argmax; among tied maxima, the lowest token id
    (torch.argmax's convention). It must not produce nan or split the mass between ties.

    Shapes:
        logits: (..., V)
        returns: (..., V), rows sum to 1

    Raises:
        ValueError: if temperature < 0.
    """
    raise NotImplementedError("temperature_probs: one-hot argmax at T = 0, softmax(logits / T) otherwise")


def generate(bigram_logits: torch.Tensor, starts: torch.Tensor, n_new: int, temperature: float,
             generator: torch.Generator | None = None) -> torch.Tensor:
    """Continue each start token n_new times with a bigram model.

    Row a of bigram_logits holds the next-token logits after token a. Each new token is drawn from
    temperature_probs(bigram_logits[previous token], temperature); at temperature 0 it is the argmax
    (no randomness at all), otherwise one multinomial draw using `generator`. The start tokens are
    not part of the output.

    Shapes:
        bigram_logits: (V, V)
        starts: (B,), dtype long
        returns: (B, n_new), dtype long
    """
    raise NotImplementedError("generate: step n_new times from the row of the previous token")


def rep_n(tokens: torch.Tensor, n: int) -> float:
    """The fraction of a sequence's n-grams that repeat an earlier n-gram: 1 - distinct / total.

    A sequence of length L has L - n + 1 (overlapping) n-grams; returns 0.0 when it has none.
    0 means no n-gram ever repeats; close to 1 means the text loops.

    Shapes:
        tokens: (L,), dtype long

    Raises:
        ValueError: if n < 1.
    """
    raise NotImplementedError("rep_n: 1 - distinct n-grams / total n-grams")


def greedy_cycle(bigram_logits: torch.Tensor, start: int) -> tuple[int, int]:
    """Where greedy decoding from `start` falls into a loop, and how long the loop is.

    The greedy path is x_0 = start, x_{i+1} = argmax(bigram_logits[x_i]) (lowest id on ties). With a
    finite vocabulary it must revisit a token, and from then on it repeats forever. Return
    (tail, period): tail = the index of the first x_i that lies on the loop, period = the loop's
    length, so that x_{i + period} == x_i exactly for every i >= tail (and for no smaller period
    or tail).

    Shapes:
        bigram_logits: (V, V)
    """
    raise NotImplementedError("greedy_cycle: walk the argmax path until a token comes back")


def repetition_vs_temperature(bigram_logits: torch.Tensor, starts: torch.Tensor, n_new: int,
                              temperatures: list[float], n: int = 2, seed: int = 0) -> np.ndarray:
    """Mean rep_n of generated text at each temperature (0 included).

    For each temperature t (in order): sequences = generate(bigram_logits, starts, n_new, t,
    torch.Generator().manual_seed(seed)) and the entry is the mean of rep_n(row, n) over its rows.

    Shapes:
        starts: (B,)
        returns: (len(temperatures),), float64
    """
    raise NotImplementedError("repetition_vs_temperature: generate at each temperature, average rep_n")
