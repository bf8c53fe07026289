"""Running a kata for a learner and recording the outcome, through `grader check` and plain pytest."""
import json
import tomllib

from workbook_copy import EXEMPLAR


def _entry(wb):
    return tomllib.loads(wb.progress.read_text())["katas"]["nlp-02-1"]


def test_stub_is_recorded_as_failing(workbook):
    out = workbook.grader("check", "nlp-02-1")
    assert out.returncode == 1
    assert "not implemented yet" in out.stdout and "0/3 tests pass" in out.stdout
    entry = _entry(workbook)
    assert entry["status"] == "failing" and entry["attempts"] == 1 and entry["tests_total"] == 3


def test_solved_kata_is_recorded_as_passed_and_status_shows_it(workbook):
    workbook.solve()
    out = workbook.grader("check", "nlp-02-1")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "PASSED  3/3 tests pass" in out.stdout
    entry = _entry(workbook)
    assert entry["status"] == "passed" and "first_passed" in entry and entry["fingerprint"].startswith("sha256:")
    status = workbook.grader("status")
    assert "1/442 checkboxes passed" in status.stdout
    assert json.loads(workbook.grader("list", "--json").stdout)[0]["status"] == "passed"


def test_plain_pytest_on_the_kata_folder_records_too(workbook):
    workbook.solve()
    out = workbook.pytest(f"katas/{EXEMPLAR}")
    assert out.returncode == 0, out.stdout
    assert "nlp-02-1 recorded as passed (3/3 tests)" in out.stdout
    assert _entry(workbook)["status"] == "passed"


def test_partial_pytest_run_records_nothing(workbook):
    workbook.solve()
    out = workbook.pytest(f"katas/{EXEMPLAR}/test_sinusoidal.py::test_rejects_odd_width")
    assert out.returncode == 0
    assert "not updated" in out.stdout
    assert "katas" not in tomllib.loads(workbook.progress.read_text())


def test_solution_and_pitfall_modes_never_record(workbook):
    out = workbook.pytest(f"katas/{EXEMPLAR}", "--grader-target=solution")
    assert out.returncode == 0, out.stdout
    workbook.pytest(f"katas/{EXEMPLAR}", "--grader-target=pitfalls")
    assert "katas" not in tomllib.loads(workbook.progress.read_text())


def test_wrong_answer_feedback_names_the_call_and_the_difference(workbook):
    stub = workbook.kata() / "sinusoidal.py"
    stub.write_text(stub.read_text().replace(
        '    raise NotImplementedError("sinusoidal_positions: build the (seq_len, d_model) table")',
        "    if d_model % 2:\n        raise ValueError\n"
        "    return torch.zeros(seq_len, d_model)"))
    out = workbook.grader("check", "nlp-02-1")
    assert out.returncode == 1
    assert "sinusoidal_positions(" in out.stdout and "largest |difference|" in out.stdout
    assert "kata=<module" not in out.stdout


def test_learner_code_that_exits_is_a_crash_and_recorded_as_failing(workbook):
    stub = workbook.kata() / "sinusoidal.py"
    stub.write_text("import os\nos._exit(3)\n")
    out = workbook.grader("check", "nlp-02-1")
    assert out.returncode == 1 and "crashed" in out.stdout and "Traceback" not in out.stderr and "internal error" not in out.stderr
    assert _entry(workbook)["status"] == "failing"


def test_learner_mode_never_touches_solutions(workbook):
    """An audit hook fails the run if anything under solutions/ is opened or imported."""
    workbook.solve()
    guard = workbook.root / "guard.py"
    guard.write_text(
        "import sys, os\n"
        "SOL = os.path.join(os.environ['GRADER_ROOT'], 'solutions')\n"
        "def hook(event, args):\n"
        "    if event in ('open', 'import', 'exec', 'compile') and args and isinstance(args[0], str) and args[0].startswith(SOL):\n"
        "        os.write(2, b'TOUCHED ' + args[0].encode() + b'\\n'); os._exit(99)\n"
        "sys.addaudithook(hook)\n"
        "import pytest\n"
        f"sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', 'katas/{EXEMPLAR}']))\n")
    import subprocess
    import sys
    out = subprocess.run([sys.executable, str(guard)], cwd=workbook.root, env=workbook.env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "TOUCHED" not in out.stderr


def test_a_numpy_kata_never_imports_torch(tmp_path):
    """The plugin and the test helpers add nothing heavy: a numpy kata's check does not pay for torch."""
    import subprocess
    import sys

    from workbook_copy import REPO
    code = ("import sys, pytest\n"
            "code = pytest.main(['-q', '-p', 'no:cacheprovider', 'katas/ml/01_linear_regression_batch_sgd/04_regression_metrics',"
            " '--grader-target=solution'])\n"
            "print('TORCH', 'torch' in sys.modules, 'EXIT', int(code))\n")
    env = {**__import__("os").environ, "GRADER_PROGRESS": str(tmp_path / "p.toml")}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert "TORCH False EXIT 0" in out.stdout, out.stdout[-2000:]


# ---------------------------------------------------------------- runs that must not count as a pass
STUB_BODY = '    raise NotImplementedError("sinusoidal_positions: build the (seq_len, d_model) table")'


def _solve_with(wb, replace_old, replace_new):
    wb.solve()
    module = wb.kata() / "sinusoidal.py"
    text = module.read_text()
    assert replace_old in text
    module.write_text(text.replace(replace_old, replace_new))


def test_pytest_addopts_cannot_deselect_the_failing_test(workbook):
    # A solution missing its ValueError fails only test_rejects_odd_width; -k would hide it.
    _solve_with(workbook, "raise ValueError", "pass  # forgot: raise ValueError")
    env = {**workbook.env, "PYTEST_ADDOPTS": '-k "not odd"'}
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-m", "grader", "check", "nlp-02-1"], cwd=workbook.root, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 1 and "NOT YET" in out.stdout and "test_rejects_odd_width" in out.stdout, out.stdout
    assert _entry(workbook)["status"] == "failing"


def test_pytest_exit_in_learner_code_is_never_a_pass(workbook):
    _solve_with(workbook, "def sinusoidal_positions(", "def _real(")
    module = workbook.kata() / "sinusoidal.py"
    module.write_text(module.read_text() + "\n\ndef sinusoidal_positions(seq_len, d_model, base=10000.0):  # noqa\n"
                      "    import pytest\n    if seq_len > 3:\n        pytest.exit('bye')\n"
                      "    return _real(seq_len, d_model, base)\n")
    out = workbook.grader("check", "nlp-02-1")
    assert out.returncode == 1 and "NOT YET" in out.stdout, out.stdout
    assert "stopped early" in out.stdout
    assert _entry(workbook)["status"] == "failing"


def test_a_skip_from_learner_code_is_a_failure(workbook):
    _solve_with(workbook, "def sinusoidal_positions(", "def _real(")
    module = workbook.kata() / "sinusoidal.py"
    module.write_text(module.read_text() + "\n\ndef sinusoidal_positions(seq_len, d_model, base=10000.0):  # noqa\n"
                      "    import pytest\n    if d_model % 2:\n        pytest.skip('odd widths are boring')\n"
                      "    return _real(seq_len, d_model, base)\n")
    out = workbook.grader("check", "nlp-02-1")
    assert out.returncode == 1 and "your code skipped this test" in out.stdout, out.stdout
    assert _entry(workbook)["status"] == "failing"
    plain = workbook.pytest(f"katas/{EXEMPLAR}")
    assert "recorded as failing" in plain.stdout, plain.stdout


def test_a_crash_reports_the_real_test_count_and_the_running_test(workbook):
    # Passes the first test, then dies inside the second: the learner is told which and out of how many.
    _solve_with(workbook, "def sinusoidal_positions(", "def _real(")
    module = workbook.kata() / "sinusoidal.py"
    module.write_text(module.read_text() + "\n\ncalls = 0\n\n\ndef sinusoidal_positions(seq_len, d_model, base=10000.0):  # noqa\n"
                      "    import os\n    import signal\n    if d_model % 2:\n        os.kill(os.getpid(), signal.SIGSEGV)\n"
                      "    return _real(seq_len, d_model, base)\n")
    n_tests = (workbook.kata() / "test_sinusoidal.py").read_text().count("\ndef test_")
    out = workbook.grader("check", "nlp-02-1")
    assert out.returncode == 1 and "SIGSEGV" in out.stdout
    assert "test_rejects_odd_width  <- running when the process died" in out.stdout, out.stdout
    assert f"{n_tests - 1}/{n_tests} tests pass (crashed)" in out.stdout, out.stdout


def test_child_environment_drops_pytest_knobs(monkeypatch):
    from grader.running import runner
    monkeypatch.setenv("PYTEST_ADDOPTS", "-k nothing")
    monkeypatch.setenv("PYTEST_PLUGINS", "evil")
    env = runner.clean_env()
    assert "PYTEST_ADDOPTS" not in env and "PYTEST_PLUGINS" not in env and env["PYTHONDONTWRITEBYTECODE"] == "1"


def test_a_kata_whose_extra_is_missing_names_the_install_command(workbook, monkeypatch, capsys):
    from grader.commands import check
    from grader.discovery import catalog

    monkeypatch.setenv("GRADER_ROOT", str(workbook.root))
    monkeypatch.setenv("GRADER_PROGRESS", str(workbook.progress))
    toml = workbook.kata() / "kata.toml"
    toml.write_text(toml.read_text() + '\nextras = ["onnx"]\n')
    before = workbook.progress.read_text()
    monkeypatch.setattr(catalog, "EXTRA_MODULES", {"onnx": ("json", "no_such_module_for_this_test")})
    kata = catalog.load(workbook.kata())
    assert kata.metadata_problems() == []
    assert check.check(kata) == 1
    out = capsys.readouterr()
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and "pip install -e '.[onnx]'" in lines[0], out.err
    assert workbook.progress.read_text() == before, "a run that could not start was recorded"

    monkeypatch.setattr(catalog, "EXTRA_MODULES", {"onnx": ("json",)})
    assert catalog.load(workbook.kata()).missing_extras() == []
    toml.write_text(toml.read_text().replace('extras = ["onnx"]', 'extras = ["onnxx"]'))
    assert any("unknown extras ['onnxx']" in p for p in catalog.load(workbook.kata()).metadata_problems())
