"""Reference solution for dl-04-4."""
from __future__ import annotations

Layer = tuple[int, int, int, int]


def receptive_fields(layers: list[Layer]) -> list[tuple[int, int, int]]:
    r, J, L, out = 1, 1, 0, []
    for k, s, p, d in layers:
        if k < 1 or s < 1 or d < 1 or p < 0:
            raise ValueError(f"bad layer {(k, s, p, d)}")
        r, J, L = r + d * (k - 1) * J, J * s, L - p * J
        out.append((r, J, L))
    return out


def input_window(layers: list[Layer], index: int) -> tuple[int, int]:
    r, J, L = receptive_fields(layers)[-1] if layers else (1, 1, 0)
    return L + index * J, L + index * J + r - 1
