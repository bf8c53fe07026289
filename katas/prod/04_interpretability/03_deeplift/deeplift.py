"""prod-04-3: DeepLIFT with the rescale rule. Edit this file; `grader check prod-04-3` tests it."""
from __future__ import annotations

import torch
from torch import nn

EPS = 1e-10


def layer_activations(model: nn.Sequential, x: torch.Tensor) -> list[torch.Tensor]:
    """Given: the input of every layer of `model`, then its output: len(model) + 1 tensors."""
    acts = [x]
    with torch.no_grad():
        for layer in model:
            acts.append(layer(acts[-1]))
    return acts


def rescale_multipliers(a_in: torch.Tensor, a0_in: torch.Tensor) -> torch.Tensor:
    """The rescale rule's multiplier of a ReLU, elementwise: delta_out / delta_in.

    delta_in = a_in - a0_in, delta_out = relu(a_in) - relu(a0_in). Where |delta_in| < EPS the ratio is
    undefined and the gradient of the ReLU at a_in is used instead: 1 where a_in > 0, else 0.

    Shapes:
        a_in, a0_in: (n, h) the ReLU's input for x and for the baseline; returns: (n, h), a_in's dtype
    """
    raise NotImplementedError("rescale_multipliers: delta_out / delta_in, the gradient where delta_in ~ 0")


def deeplift_rescale(model: nn.Sequential, x: torch.Tensor, baseline: torch.Tensor, target: int = 0) -> torch.Tensor:
    """DeepLIFT attributions of output column `target` of an MLP (nn.Linear and nn.ReLU layers), as captum's DeepLift.

    Propagate multipliers backwards from one-hot(target): an nn.Linear multiplies them by its weight
    (the chain rule), an nn.ReLU by rescale_multipliers of its input for x and for the baseline.
    The attribution of input i is its multiplier times (x_i - baseline_i), so every row sums to
    model(x)[:, target] - model(baseline)[:, target] (summation-to-delta).

    Shapes:
        x: (n, d); baseline: (d,) or (n, d); returns: (n, d), x's dtype

    Raises:
        ValueError: if the model has a layer other than nn.Linear / nn.ReLU, or target is not in [0, k)
            for k output columns.
    """
    raise NotImplementedError("deeplift_rescale: backpropagate multipliers, then multiply by x - baseline")
