"""Plausible wrong receptive-field calculators that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from receptive_field import Layer, receptive_fields


def _check(k: int, s: int, p: int, d: int) -> None:
    if k < 1 or s < 1 or d < 1 or p < 0:
        raise ValueError("bad layer")


@pitfall(replaces="receptive_fields", why="ignores dilation: r grows by (k − 1)·J")
def no_dilation(layers: list[Layer]) -> list[tuple[int, int, int]]:
    r, J, L, out = 1, 1, 0, []
    for k, s, p, d in layers:
        _check(k, s, p, d)
        r, J, L = r + (k - 1) * J, J * s, L - p * J
        out.append((r, J, L))
    return out


@pitfall(replaces="receptive_fields", why="multiplies by the new jump (after this layer's stride) instead of the previous one")
def jump_updated_first(layers: list[Layer]) -> list[tuple[int, int, int]]:
    r, J, L, out = 1, 1, 0, []
    for k, s, p, d in layers:
        _check(k, s, p, d)
        J = J * s
        r, L = r + d * (k - 1) * J, L - p * J
        out.append((r, J, L))
    return out


@pitfall(replaces="receptive_fields", why="r grows by d·(k − 1) per layer, forgetting that earlier strides spread it (no ·J)")
def no_jump(layers: list[Layer]) -> list[tuple[int, int, int]]:
    r, J, L, out = 1, 1, 0, []
    for k, s, p, d in layers:
        _check(k, s, p, d)
        r, J, L = r + d * (k - 1), J * s, L - p * J
        out.append((r, J, L))
    return out


@pitfall(replaces="receptive_fields", why="the offset ignores padding (L stays 0)")
def no_padding_offset(layers: list[Layer]) -> list[tuple[int, int, int]]:
    r, J, out = 1, 1, []
    for k, s, p, d in layers:
        _check(k, s, p, d)
        r, J = r + d * (k - 1) * J, J * s
        out.append((r, J, 0))
    return out


@pitfall(replaces="receptive_fields", why="jumps add up (J + s − 1) instead of multiplying")
def additive_jump(layers: list[Layer]) -> list[tuple[int, int, int]]:
    r, J, L, out = 1, 1, 0, []
    for k, s, p, d in layers:
        _check(k, s, p, d)
        r, J, L = r + d * (k - 1) * J, J + s - 1, L - p * J
        out.append((r, J, L))
    return out


@pitfall(replaces="input_window", why="last = first + r (one past the end), not first + r − 1")
def window_off_by_one(layers: list[Layer], index: int) -> tuple[int, int]:
    r, J, L = receptive_fields(layers)[-1] if layers else (1, 1, 0)
    return L + index * J, L + index * J + r


@pitfall(replaces="receptive_fields", why="accepts a zero stride or negative padding silently")
def no_validation(layers: list[Layer]) -> list[tuple[int, int, int]]:
    r, J, L, out = 1, 1, 0, []
    for k, s, p, d in layers:
        r, J, L = r + d * (k - 1) * J, J * s, L - p * J
        out.append((r, J, L))
    return out
