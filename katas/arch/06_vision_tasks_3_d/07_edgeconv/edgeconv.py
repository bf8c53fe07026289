"""arch-06-7: DGCNN EdgeConv on k-NN graphs. Edit this file; `grader check arch-06-7` tests it."""
from __future__ import annotations

from collections.abc import Callable

import torch


def knn_indices(x: torch.Tensor, k: int) -> torch.Tensor:
    """The k nearest neighbours of every point by squared Euclidean distance, the point itself included.

    Row i lists neighbour indices by increasing distance (ties: the lower index first), so with
    distinct points row i starts with i. The input is left unchanged.

    Shapes:
        x: (N, D)     returns: (N, k) int64

    Raises:
        ValueError: unless 1 <= k <= N.
    """
    raise NotImplementedError("knn_indices")


def edge_conv(x: torch.Tensor, k: int, mlp: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
    """EdgeConv (Wang et al. 2019): x'_i = max over j in knn(i) of mlp([x_i, x_j - x_i]).

    The k-NN graph is built on x itself (knn_indices); the edge feature concatenates the centre
    point and the offset to its neighbour; the max is feature-wise over the k neighbours.

    Shapes:
        x: (N, D)     mlp: (..., 2D) -> (..., F)     returns: (N, F)

    Raises:
        ValueError: as knn_indices.
    """
    raise NotImplementedError("edge_conv")
