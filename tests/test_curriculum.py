"""The curriculum data and the katas' place in it."""
import subprocess
import sys
from pathlib import Path

import pytest

from grader import catalog, curriculum

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "curriculum" / "CURRICULUM.md"


def test_curriculum_has_every_checkbox_once():
    boxes = [c for t in curriculum.tracks() for c in t.checkboxes]
    assert len(boxes) == 442
    assert len({c.id for c in boxes}) == 442
    assert [t.id for t in curriculum.tracks()] == ["nlp", "found", "ml", "dsa", "dl", "arch", "ret", "rl", "sys", "prod"]
    assert [c.order for c in boxes] == list(range(442))
    assert curriculum.checkboxes()["nlp-02-3"].title == "RoPE"


@pytest.mark.skipif(not SHARED.exists(), reason="the shared CURRICULUM.md is not beside this checkout")
def test_curriculum_data_matches_the_shared_curriculum():
    out = subprocess.run([sys.executable, "tools/import_curriculum.py", str(SHARED), "--check"], cwd=REPO,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_kata_is_a_distinct_checkbox_in_the_right_folder():
    katas = catalog.discover()
    assert katas, "the workbook has no katas"
    ids = [k.id for k in katas]
    assert len(ids) == len(set(ids)), "two katas claim the same checkbox"
    for k in katas:
        assert k.checkbox is not None, f"{k.rel}: id {k.id} is not in the curriculum"
        layout = [p for p in k.metadata_problems() if p.startswith("folder")]
        assert not layout, layout


def test_katas_are_listed_in_curriculum_order():
    orders = [k.checkbox.order for k in catalog.discover()]
    assert orders == sorted(orders)
