"""Reference solution for prod-03-3."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd


@dataclass(frozen=True)
class Column:
    """Expectations for one column."""
    name: str
    kind: str                          # "int", "float", "str" or "bool", compared with dtype_kind()
    nullable: bool = False
    min: float | None = None           # inclusive bounds on non-null values
    max: float | None = None
    allowed: frozenset[Any] | None = None


class Violation(NamedTuple):
    column: str
    check: str                         # missing_column, kind, null, min, max, allowed, unexpected_column
    rows: tuple[Any, ...] = ()         # index labels of the failing rows, in frame order


class DataQualityError(ValueError):
    def __init__(self, stage: str, violations: list[Violation]) -> None:
        super().__init__(f"{stage}: {violations}")
        self.stage, self.violations = stage, violations


def dtype_kind(series: pd.Series) -> str:
    """"bool", "int", "float", "str" or "other" for a column's dtype."""
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "float"
    if pd.api.types.is_string_dtype(series):
        return "str"
    return "other"


def validate(df: pd.DataFrame, schema: list[Column], strict: bool = False) -> list[Violation]:
    out: list[Violation] = []
    for col in schema:
        if col.name not in df.columns:
            out.append(Violation(col.name, "missing_column"))
            continue
        s = df[col.name]
        if dtype_kind(s) != col.kind:
            out.append(Violation(col.name, "kind"))
            continue
        null = s.isna()
        if not col.nullable and null.any():
            out.append(Violation(col.name, "null", tuple(s.index[null])))
        present = s[~null]
        if col.min is not None and (present < col.min).any():
            out.append(Violation(col.name, "min", tuple(present.index[present < col.min])))
        if col.max is not None and (present > col.max).any():
            out.append(Violation(col.name, "max", tuple(present.index[present > col.max])))
        if col.allowed is not None:
            bad = ~present.isin(list(col.allowed))
            if bad.any():
                out.append(Violation(col.name, "allowed", tuple(present.index[bad])))
    if strict:
        known = {c.name for c in schema}
        out.extend(Violation(str(c), "unexpected_column") for c in df.columns if c not in known)
    return out


def checked_transform(fn: Callable[[pd.DataFrame], pd.DataFrame], df: pd.DataFrame, input_schema: list[Column],
                      output_schema: list[Column]) -> pd.DataFrame:
    bad = validate(df, input_schema)
    if bad:
        raise DataQualityError("input", bad)
    before = df.copy(deep=True)
    result = fn(df)
    if not df.equals(before):
        raise DataQualityError("mutation", [Violation("*", "input_modified")])
    bad = validate(result, output_schema, strict=True)
    if bad:
        raise DataQualityError("output", bad)
    return result
