"""dl-04-4: receptive fields of a stack of conv/pool layers. Edit this file; `grader check dl-04-4` tests it.

Work along one spatial axis (2-D layers do the same per axis). A layer is a tuple
(kernel, stride, padding, dilation) of ints; output position i of a layer reads its input at
positions i·stride − padding + t·dilation for t = 0..kernel−1 (negative or too large = padding).
"""
from __future__ import annotations

Layer = tuple[int, int, int, int]


def receptive_fields(layers: list[Layer]) -> list[tuple[int, int, int]]:
    """After each layer l, the triple (r_l, J_l, L_l) such that output position i of layer l sees the
    network input positions L_l + i·J_l through L_l + i·J_l + r_l − 1 (inclusive):

        r: receptive-field size,  J: jump (input distance between neighbouring outputs),  L: offset of output 0

    Before any layer (r, J, L) = (1, 1, 0).

    Returns:
        one triple per layer, in order (an empty list for no layers)

    Raises:
        ValueError: if a kernel, stride or dilation is < 1 or a padding is < 0.
    """
    raise NotImplementedError("receptive_fields: the recurrences for r, J and L, layer by layer")


def input_window(layers: list[Layer], index: int) -> tuple[int, int]:
    """(first, last) network-input position seen by output `index` of the last layer (inclusive; may
    extend into the padding, i.e. below 0 or past the input). With no layers: (index, index).
    """
    raise NotImplementedError("input_window: L + index·J and L + index·J + r − 1")
