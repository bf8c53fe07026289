"""found-03-10: Bayesian networks: enumeration, variable elimination, d-separation. Edit this file; `grader check found-03-10` tests it."""
from __future__ import annotations

import string

import numpy as np

Parents = dict[str, list[str]]
CPTs = dict[str, np.ndarray]


def check_query(parents: Parents, query: str, evidence: dict[str, int]) -> None:
    """ValueError if query or an evidence variable is not a node, or the query is also evidence."""
    if query not in parents or any(v not in parents for v in evidence) or query in evidence:
        raise ValueError(f"bad query {query!r} with evidence {evidence!r}")


def multiply_factors(f: tuple[list[str], np.ndarray], g: tuple[list[str], np.ndarray]) -> tuple[list[str], np.ndarray]:
    """The product of two factors (variable names, table with one axis of size 2 per name), over the union."""
    names = list(dict.fromkeys(f[0] + g[0]))
    letter = {n: string.ascii_letters[i] for i, n in enumerate(names)}
    spec = f"{''.join(letter[n] for n in f[0])},{''.join(letter[n] for n in g[0])}->{''.join(letter[n] for n in names)}"
    return names, np.einsum(spec, f[1], g[1])


def joint_probability(parents: Parents, cpts: CPTs, assignment: dict[str, int]) -> float:
    """P(assignment) for a full assignment of 0/1 values: the product over nodes of P(node | parents).

    The network: parents[node] lists node's parents (in a fixed order); cpts[node] has shape
    (2,) * len(parents[node]) + (2,), and cpts[node][p1, ..., pk, v] = P(node = v | parents = p1..pk).
    """
    raise NotImplementedError("joint_probability: multiply one CPT entry per node")


def query_enumeration(parents: Parents, cpts: CPTs, query: str, evidence: dict[str, int]) -> np.ndarray:
    """P(query | evidence) by enumeration: sum the joint over every value of the hidden variables.

    Returns:
        (2,) float64: [P(query = 0 | evidence), P(query = 1 | evidence)], summing to 1

    Raises:
        ValueError: as check_query.
    """
    raise NotImplementedError("query_enumeration: sum the joint over the hidden variables, normalise")


def query_variable_elimination(parents: Parents, cpts: CPTs, query: str, evidence: dict[str, int]) -> np.ndarray:
    """P(query | evidence) by variable elimination; the same answer as query_enumeration.

    Start from one factor per CPT (names parents + [node]); fix the evidence values in every factor;
    eliminate each hidden variable (in sorted name order) by multiplying the factors that contain it
    (multiply_factors) and summing it out; multiply what is left and normalise.

    Raises:
        ValueError: as check_query.
    """
    raise NotImplementedError("query_variable_elimination: restrict, multiply, sum out, normalise")


def d_separated(parents: Parents, xs: set[str], ys: set[str], zs: set[str]) -> bool:
    """Whether xs and ys are d-separated given zs in the DAG, as networkx.is_d_separator.

    One method: keep only the ancestors of xs ∪ ys ∪ zs (themselves included), moralise (link every
    node to its parents and "marry" each pair of parents of a common child, dropping directions),
    delete zs; xs and ys are d-separated iff no path joins them.

    Raises:
        ValueError: if xs or ys is empty, the three sets overlap, or one names a node not in the network.
    """
    raise NotImplementedError("d_separated: moralised ancestral graph, remove zs, check reachability")
