"""Plausible wrong versions of the profile that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves

from grader.pitfalls import pitfall


@pitfall(replaces="carried_bytes", why="counts only the keys of the KV cache")
def keys_only(kind: str, length: int, d_model: int, d_state: int, n_layers: int, itemsize: int) -> int:
    if kind == "ssm":
        return n_layers * d_model * d_state * itemsize
    if kind == "attention":
        return n_layers * length * d_model * itemsize
    raise ValueError(kind)


@pitfall(replaces="carried_bytes", why="forgets the number of layers")
def one_layer(kind: str, length: int, d_model: int, d_state: int, n_layers: int, itemsize: int) -> int:
    if kind == "ssm":
        return d_model * d_state * itemsize
    if kind == "attention":
        return 2 * length * d_model * itemsize
    raise ValueError(kind)


def _reads(fn: Callable[..., Any], args: Any, views: bool, outputs: bool) -> tuple[Any, int]:
    total = [0]

    class Mode(TorchDispatchMode):
        def __torch_dispatch__(self, func: Any, types: Any, a: Any = (), kw: Any = None) -> Any:
            out = func(*a, **(kw or {}))
            if views or not func.is_view:
                seen = tree_leaves(out) if outputs else tree_leaves((a, kw or {}))
                total[0] += sum(t.nelement() * t.element_size() for t in seen if isinstance(t, torch.Tensor))
            return out

    with Mode():
        result = fn(*args)
    return result, total[0]


@pitfall(replaces="bytes_read", why="counts view ops too (slicing a tensor 'reads' all of it)")
def counts_views(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    return _reads(fn, args, views=True, outputs=False)


@pitfall(replaces="bytes_read", why="counts the bytes ops write (their outputs) instead of what they read")
def counts_outputs(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    return _reads(fn, args, views=False, outputs=True)
