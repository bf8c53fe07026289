"""Plausible wrong d-separation and backdoor checks that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from backdoor import d_separated


def _check(g: nx.DiGraph, xs: set, ys: set, zs: set) -> None:
    if not nx.is_directed_acyclic_graph(g) or xs & ys or xs & zs or ys & zs:
        raise ValueError("bad inputs")


def _moral_separated(g: nx.DiGraph, xs: set, ys: set, zs: set, marry: bool, ancestral: bool) -> bool:
    _check(g, xs, ys, zs)
    keep = set(xs) | set(ys) | set(zs)
    if ancestral:
        for v in list(keep):
            keep |= nx.ancestors(g, v)
    else:
        keep = set(g.nodes)
    moral = nx.Graph()
    moral.add_nodes_from(keep)
    for v in keep:
        parents = [p for p in g.predecessors(v) if p in keep]
        moral.add_edges_from((p, v) for p in parents)
        if marry:
            moral.add_edges_from((p, q) for i, p in enumerate(parents) for q in parents[i + 1:])
    moral.remove_nodes_from(zs)
    return not any(nx.has_path(moral, x, y) for x in xs for y in ys)


@pitfall(replaces="d_separated", why="forgets to marry the parents: conditioning on a collider never opens a path")
def no_marrying(g: nx.DiGraph, xs: set, ys: set, zs: set) -> bool:
    return _moral_separated(g, xs, ys, zs, marry=False, ancestral=True)


@pitfall(replaces="d_separated", why="moralises the whole graph instead of the ancestral subgraph: unconditioned colliders look open")
def whole_graph(g: nx.DiGraph, xs: set, ys: set, zs: set) -> bool:
    return _moral_separated(g, xs, ys, zs, marry=True, ancestral=False)


@pitfall(replaces="d_separated", why="plain graph separation: deletes zs from the undirected skeleton")
def skeleton_separation(g: nx.DiGraph, xs: set, ys: set, zs: set) -> bool:
    _check(g, xs, ys, zs)
    und = g.to_undirected()
    und.remove_nodes_from(zs)
    return not any(nx.has_path(und, x, y) for x in xs for y in ys)


@pitfall(replaces="satisfies_backdoor", why="skips condition (i): a descendant of x (a mediator) is accepted")
def allows_descendants(g: nx.DiGraph, x: object, y: object, zs: set) -> bool:
    if x in zs or y in zs:
        raise ValueError("x or y in zs")
    cut = g.copy()
    cut.remove_edges_from(list(g.out_edges(x)))
    return d_separated(cut, {x}, {y}, set(zs))


@pitfall(replaces="satisfies_backdoor", why="removes the edges into x instead of out of x")
def removes_incoming(g: nx.DiGraph, x: object, y: object, zs: set) -> bool:
    if x in zs or y in zs:
        raise ValueError("x or y in zs")
    if zs & nx.descendants(g, x):
        return False
    cut = g.copy()
    cut.remove_edges_from(list(g.in_edges(x)))
    return d_separated(cut, {x}, {y}, set(zs))


@pitfall(replaces="satisfies_backdoor", why="tests d-separation in the full graph (the causal path itself counts as open)")
def keeps_causal_edges(g: nx.DiGraph, x: object, y: object, zs: set) -> bool:
    if x in zs or y in zs:
        raise ValueError("x or y in zs")
    if zs & nx.descendants(g, x):
        return False
    return d_separated(g, {x}, {y}, set(zs))
