"""arch-04-5: Wasserstein distances and Sinkhorn. Edit this file; `grader check arch-04-5` tests it."""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp  # noqa: F401  (you will want it for the log-domain updates)


def wasserstein_1d(u_values: np.ndarray, v_values: np.ndarray, u_weights: np.ndarray | None = None,
                   v_weights: np.ndarray | None = None, p: float = 1.0) -> float:
    """W_p between two weighted 1-D empirical distributions, from their quantile functions.

    W_p^p = integral over q in (0, 1] of |F_u^{-1}(q) - F_v^{-1}(q)|^p, where F^{-1}(q) is the
    smallest value whose cumulative (normalised) weight reaches q. Weights default to uniform and
    are normalised; zero weights are allowed. The inputs are left unchanged.

    Shapes:
        u_values: (n,)  u_weights: (n,) or None  v_values: (m,)  v_weights: (m,) or None   returns: float

    Raises:
        ValueError: if p < 1, or either side is empty, has weights of another length, a negative
            weight, or weights summing to 0.
    """
    raise NotImplementedError("wasserstein_1d: integrate the quantile difference")


def sinkhorn(a: np.ndarray, b: np.ndarray, cost: np.ndarray, epsilon: float, max_iter: int = 1000,
             tol: float = 1e-9) -> tuple[np.ndarray, int]:
    """Entropic optimal transport by Sinkhorn iterations in the log domain.

    Potentials start at f = 0, g = 0. Each iteration updates, in this order,
        f_i = eps log a_i - eps logsumexp_j((g_j - C_ij) / eps)       (rows now sum to a)
        g_j = eps log b_j - eps logsumexp_i((f_i - C_ij) / eps)       (columns now sum to b)
    and forms the plan P_ij = exp((f_i + g_j - C_ij) / eps). Stop after the first iteration whose
    row-marginal error sum_i |sum_j P_ij - a_i| is <= tol, or after max_iter iterations. Must stay
    finite when exp(-C / eps) underflows (small eps). The inputs are left unchanged.

    Shapes:
        a: (n,)  b: (m,)  cost: (n, m)    returns: (plan (n, m) float64, number of iterations run)

    Raises:
        ValueError: if cost is not (n, m), a weight is not positive, a and b differ in total
            mass (relative 1e-9), or epsilon <= 0 or max_iter < 1.
    """
    raise NotImplementedError("sinkhorn: alternate the two potential updates")
