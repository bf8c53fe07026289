"""Plausible wrong data-quality gates that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from data_quality import Column, DataQualityError, Violation, dtype_kind, validate


def _validate(df: pd.DataFrame, schema: list[Column], strict: bool, *, nulls_in_allowed: bool = False,
              exclusive: bool = False, positions: bool = False, skip_on_kind: bool = True) -> list[Violation]:
    out: list[Violation] = []
    for col in schema:
        if col.name not in df.columns:
            out.append(Violation(col.name, "missing_column"))
            continue
        s = df[col.name]
        if dtype_kind(s) != col.kind:
            out.append(Violation(col.name, "kind"))
            if skip_on_kind:
                continue
        labels = np.arange(len(s)) if positions else s.index
        null = s.isna().to_numpy()
        if not col.nullable and null.any():
            out.append(Violation(col.name, "null", tuple(labels[null])))
        vals = s.to_numpy()
        with np.errstate(invalid="ignore"):
            if col.min is not None:
                bad = ~null & ((vals <= col.min) if exclusive else (vals < col.min))
                if bad.any():
                    out.append(Violation(col.name, "min", tuple(labels[bad])))
            if col.max is not None:
                bad = ~null & ((vals >= col.max) if exclusive else (vals > col.max))
                if bad.any():
                    out.append(Violation(col.name, "max", tuple(labels[bad])))
        if col.allowed is not None:
            bad = ~s.isin(list(col.allowed)).to_numpy() & (True if nulls_in_allowed else ~null)
            if bad.any():
                out.append(Violation(col.name, "allowed", tuple(labels[bad])))
    if strict:
        names = {c.name for c in schema}
        out.extend(Violation(str(c), "unexpected_column") for c in df.columns if c not in names)
    return out


@pitfall(replaces="validate", why="checks allowed values on null cells too: a nullable column's nulls fail the allowed set")
def nulls_not_allowed(df: pd.DataFrame, schema: list[Column], strict: bool = False) -> list[Violation]:
    return _validate(df, schema, strict, nulls_in_allowed=True)


@pitfall(replaces="validate", why="exclusive bounds: a value equal to min or max is reported")
def exclusive_bounds(df: pd.DataFrame, schema: list[Column], strict: bool = False) -> list[Violation]:
    return _validate(df, schema, strict, exclusive=True)


@pitfall(replaces="validate", why="reports row positions 0..n-1 instead of the frame's index labels")
def row_positions(df: pd.DataFrame, schema: list[Column], strict: bool = False) -> list[Violation]:
    return _validate(df, schema, strict, positions=True)


@pitfall(replaces="validate", why="keeps checking values of a column whose kind is already wrong: noisy duplicate reports")
def checks_after_kind(df: pd.DataFrame, schema: list[Column], strict: bool = False) -> list[Violation]:
    return _validate(df, schema, strict, skip_on_kind=False)


@pitfall(replaces="checked_transform", why="no mutation check: a transform that edits the caller's frame goes unnoticed")
def no_mutation_check(fn: Callable[[pd.DataFrame], pd.DataFrame], df: pd.DataFrame, input_schema: list[Column],
                      output_schema: list[Column]) -> pd.DataFrame:
    bad = validate(df, input_schema)
    if bad:
        raise DataQualityError("input", bad)
    result = fn(df)
    bad = validate(result, output_schema, strict=True)
    if bad:
        raise DataQualityError("output", bad)
    return result


@pitfall(replaces="checked_transform", why="validates the output leniently: debug columns leak downstream")
def lenient_output(fn: Callable[[pd.DataFrame], pd.DataFrame], df: pd.DataFrame, input_schema: list[Column],
                   output_schema: list[Column]) -> pd.DataFrame:
    bad = validate(df, input_schema)
    if bad:
        raise DataQualityError("input", bad)
    before = df.copy(deep=True)
    result = fn(df)
    if not df.equals(before):
        raise DataQualityError("mutation", [Violation("*", "input_modified")])
    bad = validate(result, output_schema)
    if bad:
        raise DataQualityError("output", bad)
    return result
