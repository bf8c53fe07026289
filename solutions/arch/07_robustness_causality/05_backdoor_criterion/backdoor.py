"""Reference solution for arch-07-5."""
from __future__ import annotations

import itertools

import networkx as nx


def d_separated(g: nx.DiGraph, xs: set, ys: set, zs: set) -> bool:
    if not nx.is_directed_acyclic_graph(g):
        raise ValueError("the graph must be a DAG")
    if xs & ys or xs & zs or ys & zs:
        raise ValueError("xs, ys and zs must be disjoint")
    relevant = set(xs) | set(ys) | set(zs)
    ancestral = set(relevant)
    for v in relevant:
        ancestral |= nx.ancestors(g, v)
    moral = nx.Graph()
    moral.add_nodes_from(ancestral)
    for v in ancestral:
        parents = [p for p in g.predecessors(v) if p in ancestral]
        moral.add_edges_from((p, v) for p in parents)
        moral.add_edges_from(itertools.combinations(parents, 2))   # marry the parents
    moral.remove_nodes_from(zs)
    return not any(nx.has_path(moral, x, y) for x in xs for y in ys)


def satisfies_backdoor(g: nx.DiGraph, x: object, y: object, zs: set) -> bool:
    if x in zs or y in zs:
        raise ValueError("the adjustment set may not contain x or y")
    if zs & nx.descendants(g, x):
        return False
    cut = g.copy()
    cut.remove_edges_from(list(g.out_edges(x)))
    return d_separated(cut, {x}, {y}, set(zs))
