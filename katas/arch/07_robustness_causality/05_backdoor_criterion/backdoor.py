"""arch-07-5: the backdoor criterion via d-separation. Edit this file; `grader check arch-07-5` tests it."""
from __future__ import annotations

import networkx as nx


def d_separated(g: nx.DiGraph, xs: set, ys: set, zs: set) -> bool:
    """Whether zs d-separates xs from ys in the DAG g (every path between them is blocked).

    Use the moralisation criterion (Lauritzen): keep only xs ∪ ys ∪ zs and their ancestors, marry
    every pair of parents of a common child, drop the directions, delete zs; xs and ys are
    d-separated iff no undirected path joins them. Implement it yourself: networkx's
    is_d_separator is what the tests compare against. g is left unchanged.

    Raises:
        ValueError: if g is not a DAG, or the three sets are not pairwise disjoint.
    """
    raise NotImplementedError("d_separated")


def satisfies_backdoor(g: nx.DiGraph, x: object, y: object, zs: set) -> bool:
    """Pearl's backdoor criterion for the effect of x on y with adjustment set zs.

    (i) no node of zs is a descendant of x, and (ii) zs d-separates x from y in g with every edge
    out of x removed (only the backdoor paths, into x, remain). g is left unchanged.

    Raises:
        ValueError: if zs contains x or y (and as d_separated).
    """
    raise NotImplementedError("satisfies_backdoor")
