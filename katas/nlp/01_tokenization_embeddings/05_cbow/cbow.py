"""nlp-01-5: CBOW, the continuous bag-of-words word2vec model, in NumPy. Edit this file;
`grader check nlp-01-5` tests it."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

PAD = -1  # marks a context slot outside the sentence


def build_vocab(sentences: Sequence[Sequence[str]]) -> dict[str, int]:
    """Word -> id in order of first appearance, given."""
    vocab: dict[str, int] = {}
    for sentence in sentences:
        for word in sentence:
            vocab.setdefault(word, len(vocab))
    return vocab


def cbow_windows(ids: Sequence[int], window: int) -> tuple[np.ndarray, np.ndarray]:
    """The CBOW training examples of one sentence: each word is predicted from its neighbours.

    For every position t of `ids` (in order) the context row is
        [ids[t-window], ..., ids[t-1], ids[t+1], ..., ids[t+window]]
    with PAD in the slots that fall outside the sentence, and the target is ids[t]. A sentence of
    fewer than two words has no context at all and gives no rows.

    Shapes:
        returns: contexts (N, 2*window) int64, targets (N,) int64, N = len(ids) (0 if len(ids) < 2)
    """
    raise NotImplementedError("cbow_windows: one row of 2*window neighbours (PAD outside) per position")


def cbow_loss_and_grads(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray,
                        targets: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """The CBOW loss and its gradients, computed by hand (no autograd).

    h_b = mean of w_in[c] over the non-PAD context ids c of row b (every row has at least one);
    logits_b = w_out @ h_b (one score per vocabulary word); the loss is the softmax cross-entropy
    of the target, averaged over the B rows. Must not overflow when the logits are in the thousands.

    Shapes:
        w_in, w_out: (V, d) float64
        contexts: (B, 2*window) int64 with PAD slots; targets: (B,) int64
        returns: loss (Python float), d_loss/d_w_in (V, d), d_loss/d_w_out (V, d)
    """
    raise NotImplementedError("cbow_loss_and_grads: masked mean, stable log-softmax, backprop by hand")


def train_cbow(sentences: Sequence[Sequence[int]], vocab_size: int, dim: int, window: int, steps: int,
               lr: float, seed: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Full-batch gradient descent on the CBOW loss.

    rng = np.random.default_rng(seed); w_in = rng.normal(0, 0.1, (vocab_size, dim)), then
    w_out = rng.normal(0, 0.1, (vocab_size, dim)). The batch is every window of every sentence
    (windows never cross from one sentence into the next), in sentence order. Each of `steps`
    steps computes the loss and gradients on the whole batch and updates w -= lr * grad.

    Shapes:
        returns: w_in (V, dim), w_out (V, dim), losses (the loss before each step, `steps` floats)
    """
    raise NotImplementedError("train_cbow: init from the seed, then `steps` full-batch gradient steps")
