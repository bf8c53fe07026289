"""Workbook copies and progress files for the tests of the learner's journey (issue 22)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from workbook_copy import EXEMPLAR, REPO, Workbook, make_workbook

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
NLP_003 = SEEDS / "003_1ae23634c5cb8ce6.md"  # the learner's NLP checklist, copied from ../shared/curriculum/seeds
SPRINT_004 = SEEDS / "004_0c4da86674e91408.md"  # the learner's sprint plan

# Katas of the attention chain (nlp-03-1 -> nlp-03-2 -> nlp-04-1 -> nlp-04-2) and a few more.
KATAS = {
    "nlp-01-2": "nlp/01_tokenization_embeddings/02_bpe",
    "nlp-02-1": EXEMPLAR,
    "nlp-03-1": "nlp/03_self_attention_multihead_attention/01_single_token_attention",
    "nlp-03-2": "nlp/03_self_attention_multihead_attention/02_multi_head",
    "nlp-03-3": "nlp/03_self_attention_multihead_attention/03_causal_mask",
    "nlp-04-1": "nlp/04_transformers_qkv_stacking/01_transformer_block",
    "nlp-04-2": "nlp/04_transformers_qkv_stacking/02_mini_former",
}


def journey_workbook(dest: Path, ids: list[str] | None = None) -> Workbook:
    return make_workbook(dest, [KATAS[i] for i in (ids or list(KATAS))])


def shipped(kata_id: str, root: Path) -> str:
    return json.loads((root / "grader" / "fingerprints.json").read_text())[kata_id]["tests"]


def entry(status: str = "passed", *, root: Path | None = None, kata_id: str = "", fingerprint: str | None = None,
          attempts: int = 1, first_run: dt.datetime | None = None, first_passed: dt.datetime | None = None,
          **extra: object) -> dict:
    e: dict = {"status": status, "attempts": attempts, **extra}
    if status == "passed":
        e["fingerprint"] = fingerprint if fingerprint is not None else shipped(kata_id, root or REPO)
        if first_passed is not None:
            e["first_passed"] = first_passed
    if first_run is not None:
        e["first_run"] = first_run
    return e


def toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, int | float):
        return repr(v)
    return json.dumps(str(v))


def write_progress(path: Path, entries: dict[str, dict]) -> None:
    lines = ["# a test's progress file"]
    for kata_id, e in entries.items():
        lines.append(f'\n[katas."{kata_id}"]')
        lines += [f"{k} = {toml_value(v)}" for k, v in e.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
