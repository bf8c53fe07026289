"""Prerequisites and named paths: the data, and `grader next` following it (issue 22, part 4)."""
import json
import re

from journey_copy import SPRINT_004, entry, journey_workbook, write_progress
from workbook_copy import make_workbook

from grader.discovery import curriculum, routes


# ------------------------------------------------------------------ the data
def test_route_and_prerequisite_data_hold_together():
    assert routes.problems() == []  # every id a checkbox, every stop non-empty, no cycles
    assert set(routes.routes()) >= {"curriculum", "nlp", "sprint"}


def test_prerequisites_cover_the_attention_chain():
    needs = routes.prerequisites()
    assert "nlp-03-1" in needs["nlp-03-2"]  # multi-head attention after single-head attention
    assert "nlp-04-1" in needs["nlp-04-2"]  # the mini-former after the transformer block
    assert "nlp-03-2" in needs["nlp-04-1"]
    assert "nlp-04-2" in needs["nlp-09-1"]  # "convert your mini-former to grouped query layout"


def test_cycles_and_unknown_ids_are_found():
    assert routes.find_cycle({"a": ("b",), "b": ("c",), "c": ("a",)}) == ["a", "b", "c", "a"]
    assert routes.find_cycle({"a": ("b",), "b": ("c",)}) is None
    assert routes.find_cycle({"a": ("a",)}) == ["a", "a"]
    found = routes.problems({"nlp-03-2": ("nlp-99-1",), "nlp-03-1": ("nlp-03-2",), "nlp-03-3": ("nlp-03-1",)})
    assert any("'nlp-99-1' is not a curriculum checkbox" in p for p in found)
    found = routes.problems({"nlp-03-2": ("nlp-03-1",), "nlp-03-1": ("nlp-03-2",)})
    assert any("cycle: nlp-03-2 -> nlp-03-1 -> nlp-03-2" in p for p in found)


def test_the_curriculum_and_nlp_routes_are_the_curriculum_order():
    every = [c.id for t in curriculum.tracks() for c in t.checkboxes]
    assert [i for i, _ in routes.route("curriculum").order()] == every
    assert [i for i, _ in routes.route("nlp").order()] == [i for i in every if i.startswith("nlp-")]
    assert routes.route(None).name == "curriculum"


def test_the_sprint_route_follows_seed_004_month_by_month():
    months = re.findall(r"^### Month[ -]*(\d+)", SPRINT_004.read_text(encoding="utf-8"), re.M)
    assert months == ["1", "2", "3", "4", "5", "6", "7"]
    stops = routes.route("sprint").stops
    seen = [int(re.match(r"Month (\d+)", s.label)[1]) for s in stops]
    assert seen == sorted(seen) and sorted(set(seen)) == [1, 2, 3, 4, 5, 6, 7]
    assert all(s.ids for s in stops)
    first = [i for i, _ in routes.route("sprint").order()]
    assert first[0] == "dsa-01-1" and first.index("nlp-03-1") < first.index("nlp-03-2") < first.index("nlp-04-2")


# ------------------------------------------------------------------ grader next through the CLI
def test_next_never_offers_a_kata_before_its_prerequisites(tmp_path):
    wb = journey_workbook(tmp_path / "wb", ["nlp-01-2", "nlp-03-1", "nlp-03-2", "nlp-03-3"])
    # the copy's kata.toml may name what it builds on: here BPE on causal masking (-> single-head attention)
    toml = wb.kata("nlp/01_tokenization_embeddings/02_bpe") / "kata.toml"
    toml.write_text('builds_on = ["nlp-03-3"]  # top-level, before any [table]\n' + toml.read_text())
    out = wb.grader("next")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("nlp-03-1 ")
    assert "first: nlp-01-2 (Byte-Pair Encoding (BPE)) comes next, but it builds on nlp-03-3" in out.stdout
    data = json.loads(wb.grader("next", "--json").stdout)
    assert data["next"]["id"] == "nlp-03-1"
    assert data["prerequisite_for"] == {"id": "nlp-01-2", "title": "Byte-Pair Encoding (BPE)", "missing": ["nlp-03-3"]}
    # `grader status` and a bare `grader check` agree with `grader next`
    assert "Next: nlp-03-1" in wb.grader("status").stdout
    # a stale pass counts as done for what builds on it
    write_progress(wb.progress, {"nlp-03-1": entry(root=wb.root, kata_id="nlp-03-1", fingerprint="sha256:old"),
                                 "nlp-03-3": entry(root=wb.root, kata_id="nlp-03-3")})
    assert json.loads(wb.grader("next", "--json").stdout)["next"]["id"] == "nlp-01-2"


def test_next_path_sprint_follows_seed_004_and_takes_prerequisites_off_the_path(tmp_path):
    wb = make_workbook(tmp_path / "wb", ["rl/01_dynamic_programming_tabular_methods/03_q_learning",
                                         "rl/02_deep_value_methods/01_replay_buffer", "rl/02_deep_value_methods/02_dqn",
                                         "nlp/02_positional_embeddings/01_sinusoidal"])
    out = wb.grader("next", "--path", "sprint")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("nlp-02-1 ") and "path   sprint · Month 2" in out.stdout
    write_progress(wb.progress, {"nlp-02-1": entry(root=wb.root, kata_id="nlp-02-1"),
                                 "rl-02-1": entry(root=wb.root, kata_id="rl-02-1")})
    out = wb.grader("next", "--path", "sprint")
    # DQN (Month 4) builds on tabular Q-learning, which is not on the sprint plan: it comes first
    assert out.stdout.startswith("rl-01-3 "), out.stdout
    assert "first: rl-02-2" in out.stdout and "builds on rl-01-3" in out.stdout
    assert "Month 4" in out.stdout and "(1 kata to go)" in out.stdout
    # the curriculum path goes in curriculum order instead
    assert wb.grader("next").stdout.startswith("rl-01-3 ")
    assert json.loads(wb.grader("next", "--path", "nlp", "--json").stdout)["next"] is None
    assert "has passed" in wb.grader("next", "--path", "nlp").stdout


def test_paths_lists_the_routes(workbook):
    data = json.loads(workbook.grader("paths", "--json").stdout)
    assert [r["name"] for r in data][:3] == ["curriculum", "nlp", "sprint"]
    assert data[0]["katas"] == 1 and data[0]["passed"] == 0
    assert "grader next --path sprint" in workbook.grader("paths").stdout


def test_unknown_path_and_unreadable_progress(workbook):
    out = workbook.grader("next", "--path", "scenic")
    assert out.returncode == 2 and out.stderr == "grader: unknown path 'scenic'; paths are curriculum, nlp, sprint\n"
    broken = '[katas."nlp-02-1"]\nstatus = "passed"\nattempts = [\n'
    workbook.progress.write_text(broken)
    for args in (["next", "--path", "sprint"], ["next", "--json"], ["paths"]):
        out = workbook.grader(*args)
        assert out.returncode == 1 and "not valid TOML" in out.stderr and out.stderr.count("\n") == 1, (args, out)
        assert "Traceback" not in out.stderr
    assert workbook.progress.read_text() == broken
