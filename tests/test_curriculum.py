"""The curriculum data and the katas' place in it."""
import subprocess
import sys
from pathlib import Path

import pytest

from grader.discovery import catalog, curriculum

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "curriculum" / "CURRICULUM.md"
SHIPPED = REPO / "docs" / "CURRICULUM.md"


def test_curriculum_has_every_checkbox_once():
    boxes = [c for t in curriculum.tracks() for c in t.checkboxes]
    assert len(boxes) == 442
    assert len({c.id for c in boxes}) == 442
    assert [t.id for t in curriculum.tracks()] == ["nlp", "found", "ml", "dsa", "dl", "arch", "ret", "rl", "sys", "prod"]
    assert [c.order for c in boxes] == list(range(442))
    assert curriculum.checkboxes()["nlp-02-3"].title == "RoPE"


def test_curriculum_data_matches_the_shipped_curriculum():
    out = subprocess.run([sys.executable, "tools/import_curriculum.py", str(SHIPPED), "--check"], cwd=REPO,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.skipif(not SHARED.exists(), reason="the maintainers' shared CURRICULUM.md is not beside this checkout")
def test_shipped_curriculum_is_the_shared_one():
    # Where the maintainers' copy is present, the shipped one must not have drifted from it.
    assert SHIPPED.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8"), \
        "docs/CURRICULUM.md differs from ../shared/curriculum/CURRICULUM.md: copy it and run tools/import_curriculum.py"


def test_every_kata_is_a_distinct_checkbox_in_the_right_folder():
    katas = catalog.discover()
    assert katas, "the workbook has no katas"
    ids = [k.id for k in katas]
    assert len(ids) == len(set(ids)), "two katas claim the same checkbox"
    for k in katas:
        assert k.checkbox is not None, f"{k.rel}: id {k.id} is not in the curriculum"
        layout = [p for p in k.metadata_problems() if p.startswith("folder")]
        assert not layout, layout


def test_folder_numbers_follow_the_curriculum_order():
    # Independent of discovery's own sorting: the folders, sorted as a file browser shows them
    # (tracks in curriculum order, then by path), hold the checkboxes in CURRICULUM.md's order.
    track_rank = {t.id: i for i, t in enumerate(curriculum.tracks())}
    katas = sorted(catalog.discover(), key=lambda k: (track_rank[k.track], k.rel))
    ids_in_file = [ln.split("`")[1] for ln in SHIPPED.read_text(encoding="utf-8").splitlines() if ln.startswith("- [ ] `")]
    positions = [ids_in_file.index(k.id) for k in katas]
    out_of_order = [k.rel for k, p, q in zip(katas, positions, positions[1:], strict=False) if p > q]
    assert not out_of_order, f"folders out of curriculum order: {out_of_order[:5]}"
