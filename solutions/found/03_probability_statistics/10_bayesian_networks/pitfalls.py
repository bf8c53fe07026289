"""Plausible wrong Bayesian-network inference and d-separation that the tests must reject."""
from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from bayes_net import CPTs, Parents, check_query, joint_probability, multiply_factors, query_enumeration

_enumerate = query_enumeration


@pitfall(replaces="joint_probability", why="reads P(node = 1 | parents) for every node, whatever its value")
def joint_always_one(parents: Parents, cpts: CPTs, assignment: dict[str, int]) -> float:
    p = 1.0
    for node, pa in parents.items():
        p *= float(cpts[node][tuple(assignment[q] for q in pa) + (1,)])
    return p


@pitfall(replaces="query_enumeration", why="returns P(query, evidence) without normalising")
def enumeration_unnormalised(parents: Parents, cpts: CPTs, query: str, evidence: dict[str, int]) -> np.ndarray:
    check_query(parents, query, evidence)
    hidden = [n for n in parents if n != query and n not in evidence]
    out = np.zeros(2)
    for q in (0, 1):
        for values in itertools.product((0, 1), repeat=len(hidden)):
            out[q] += joint_probability(parents, cpts, {**evidence, query: q, **dict(zip(hidden, values, strict=True))})
    return out


@pitfall(replaces="query_variable_elimination", why="never restricts the factors to the evidence: sums the evidence variables out")
def ve_ignores_evidence(parents: Parents, cpts: CPTs, query: str, evidence: dict[str, int]) -> np.ndarray:
    check_query(parents, query, evidence)
    return _enumerate(parents, cpts, query, {})


@pitfall(replaces="query_variable_elimination", why="sums out each variable from every factor separately instead of multiplying them first")
def ve_sums_separately(parents: Parents, cpts: CPTs, query: str, evidence: dict[str, int]) -> np.ndarray:
    check_query(parents, query, evidence)
    factors = []
    for node, pa in parents.items():
        names, table = [*pa, node], np.asarray(cpts[node], dtype=np.float64)
        for var, val in evidence.items():
            if var in names:
                ax = names.index(var)
                table, names = np.take(table, val, axis=ax), names[:ax] + names[ax + 1:]
        factors.append((names, table))
    for var in sorted(n for n in parents if n != query and n not in evidence):
        factors = [(f[0][:f[0].index(var)] + f[0][f[0].index(var) + 1:], f[1].sum(axis=f[0].index(var)))
                   if var in f[0] else f for f in factors]
    result = ([], np.array(1.0))
    for f in factors:
        result = multiply_factors(result, f)
    table = result[1] if result[0] == [query] else np.moveaxis(result[1], result[0].index(query), 0)
    return table / table.sum()


def _moral_reach(parents: Parents, xs: set[str], ys: set[str], zs: set[str], *, marry: bool, ancestral: bool) -> bool:
    xs, ys, zs = set(xs), set(ys), set(zs)
    if not xs or not ys or xs & ys or xs & zs or ys & zs or not (xs | ys | zs) <= set(parents):
        raise ValueError("sets")
    keep = set(parents)
    if ancestral:
        keep, stack = set(), list(xs | ys | zs)
        while stack:
            n = stack.pop()
            if n not in keep:
                keep.add(n)
                stack.extend(parents[n])
    adj = {n: set() for n in keep}
    for n in keep:
        for p in parents[n]:
            adj[n].add(p)
            adj[p].add(n)
        if marry:
            for p, q in itertools.combinations(parents[n], 2):
                adj[p].add(q)
                adj[q].add(p)
    seen, stack = set(xs), list(xs)
    while stack:
        n = stack.pop()
        for m in adj[n] - zs:
            if m in ys:
                return False
            if m not in seen:
                seen.add(m)
                stack.append(m)
    return True


@pitfall(replaces="d_separated", why="plain undirected separation: forgets that an observed collider connects its parents")
def dsep_no_marrying(parents: Parents, xs: set[str], ys: set[str], zs: set[str]) -> bool:
    return _moral_reach(parents, xs, ys, zs, marry=False, ancestral=True)


@pitfall(replaces="d_separated", why="moralises the whole graph instead of the ancestral subgraph: unobserved colliders look open")
def dsep_whole_graph(parents: Parents, xs: set[str], ys: set[str], zs: set[str]) -> bool:
    return _moral_reach(parents, xs, ys, zs, marry=True, ancestral=False)
