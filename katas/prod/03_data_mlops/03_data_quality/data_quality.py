"""prod-03-3: data-quality checks for transforms. Edit this file; `grader check prod-03-3` tests it."""
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
    """Every violation of `schema` in `df`, in a fixed order.

    For each Column in schema order:
    - absent from df: Violation(name, "missing_column"), nothing else for it;
    - dtype_kind(df[name]) != kind: Violation(name, "kind"), nothing else for it;
    - otherwise, in this order and each only if some row fails: "null" (nulls in a non-nullable
      column), "min" (non-null values < min), "max" (non-null values > max), "allowed" (non-null
      values not in allowed); rows = the failing rows' index labels, in frame order.
    With strict=True, then Violation(column, "unexpected_column") for each df column the schema does
    not name, in df order. An empty list means the frame is valid.
    """
    raise NotImplementedError("validate: schema checks per column, in the documented order")


def checked_transform(fn: Callable[[pd.DataFrame], pd.DataFrame], df: pd.DataFrame, input_schema: list[Column],
                      output_schema: list[Column]) -> pd.DataFrame:
    """Run a transform between two quality gates and return its result.

    1. validate(df, input_schema) (not strict): violations -> raise DataQualityError("input", them)
       without calling fn;
    2. call fn(df); if it changed df (compare with a deep copy taken before, DataFrame.equals) raise
       DataQualityError("mutation", [Violation("*", "input_modified")]);
    3. validate(result, output_schema, strict=True): violations -> DataQualityError("output", them).
    """
    raise NotImplementedError("checked_transform: validate input, run, check for mutation, validate output")
