"""dl-01-3: fused softmax + cross-entropy, loss and gradient. Edit this file; `grader check dl-01-3` tests it."""
from __future__ import annotations

import numpy as np


def softmax_cross_entropy(logits: np.ndarray, target: np.ndarray, reduction: str = "mean",
                          label_smoothing: float = 0.0) -> tuple[float, np.ndarray]:
    """Cross-entropy of softmax(logits) against the targets, and its gradient with respect to the logits.

    target is either class indices (an integer array of shape (n,)) or one probability distribution
    per row (a float array of shape (n, K), rows summing to 1). With label smoothing ε the target
    rows become y ← (1 − ε) y + ε / K (ε/K on every class, the true class included), as in
    torch.nn.functional.cross_entropy. Then, with p = softmax(logits) row by row,

        loss_i = −Σ_k y_ik log p_ik        ∂loss_i/∂logits_i = p_i − y_i

    reduction "mean" averages over the n rows (the gradient is divided by n), "sum" adds them.
    Exact for any finite logits (no log of an underflowed 0). dlogits has logits' dtype (float32 or
    float64); logits and target are not modified.

    Shapes:
        logits: (n, K); target: (n,) ints in 0..K-1, or (n, K) floats
        returns: loss (a float), dlogits (n, K)

    Raises:
        ValueError: if reduction is not "mean" or "sum", or label_smoothing is outside [0, 1].
    """
    raise NotImplementedError("softmax_cross_entropy: log-softmax by logsumexp, then p - y")
