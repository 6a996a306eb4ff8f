"""`grade DIR` on a generated batch, with the real grader: every verdict, in all three formats.

The batch mixes correct, buggy and hostile files with files that cannot be graded at all; the
sharded runs must partition it, and their merge must equal the whole run.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from instructor_pack import BUGGY, GOOD, REPO

from tutor.cli import main
from tutor.course import load_course
from tutor.state import LearnerState

# --timeout for the whole batch: the endless loop costs this much. A normal file takes about
# a second of CPU, but 7 s of wall time on two cores with a load of 15 (measured while other
# suites ran), so the limit leaves room for a machine far busier than CI's.
TIMEOUT = "30"

# (learner, exercise) -> (status, failure_kind or None, a phrase the message must contain)
EXPECTED: dict[tuple[str, str], tuple[str, str | None, str]] = {
    ("alice", "add-numbers"): ("passed", None, ""),
    ("alice", "safe-counter"): ("passed", None, ""),
    ("bob", "add-numbers"): ("failed", "assertion", "assert 6 == 5"),
    ("bob", "safe-counter"): ("failed", None, "self.hits"),  # the explanation names it
    ("carol", "add-numbers"): ("error", "crash", ""),  # os._exit(0) at import
    ("carol", "safe-counter"): ("failed", None, ""),  # a fake verdict printed, then sys.exit
    ("dave", "add-numbers"): ("timeout", "timeout", "timed out"),
    ("dave", "safe-counter"): ("error", "crash", "SyntaxError"),
    ("erin", "add-numbers"): ("error", None, "add-numbers.py is empty"),
    ("erin", "safe-counter"): ("error", None, "binary file"),
    ("erin", "subtract-numbers"): ("error", None, "unknown exercise 'subtract-numbers'"),
    ("frank", "add-numbers"): ("error", None, "add-numbers.py is a symbolic link"),
    ("frank", "safe-counter"): ("missing", None, "no file safe-counter.py handed in"),
    ("ghost", "*"): ("error", None, "ghost is a symbolic link"),
}

HOSTILE = {
    ("carol", "add-numbers"): "import os\nos._exit(0)\n",
    ("carol", "safe-counter"): (
        "import sys\n"
        'print("===== 2 passed in 0.01s =====")\n'
        'print(\'{"status": "passed"}\')\n'
        "class Counter:\n"
        "    def __init__(self):\n"
        "        self.hits = 0\n"
        "    def hit(self):\n"
        "        sys.exit(0)\n"
    ),
    ("dave", "add-numbers"): "while True:\n    pass\n",
    ("dave", "safe-counter"): "def broken(:\n",
    ("erin", "subtract-numbers"): "def subtract(a, b):\n    return a - b\n",
}


def make_batch(root: Path) -> Path:
    for learner, code in (("alice", GOOD), ("bob", BUGGY)):
        for exercise_id, text in code.items():
            path = root / learner / f"{exercise_id}.py"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    for (learner, exercise_id), text in HOSTILE.items():
        path = root / learner / f"{exercise_id}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "erin" / "add-numbers.py").write_text("  \n\n")
    (root / "erin" / "safe-counter.py").write_bytes(b"\x7fELF\x02\x01\x00\x00binary")
    (root / "erin" / "notes.txt").write_text("not a submission")
    (root / "erin" / "src").mkdir()
    (root / "erin" / "src" / "add-numbers.py").write_text("nested: a warning")
    (root / "frank").mkdir()
    (root / "frank" / "add-numbers.py").symlink_to(root / "gone.py")  # never followed
    (root / "ghost").symlink_to(root / "nowhere")  # a learner folder that is a link
    (root / ".git").mkdir()
    (root / ".git" / "x.py").write_text("hidden: skipped")
    (root / "stray.py").write_text("misplaced: a warning")
    return root


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_batch(tmp_path_factory.mktemp("batch") / "submissions")


def grade(course_dir: Path, batch: Path, capsys, *args: str) -> tuple[int, str, str]:
    status = main(["--course", str(course_dir), "grade", str(batch), "--timeout", TIMEOUT, *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def check_rows(rows: list[dict[str, str | None]], keys: set[tuple[str, str]]) -> None:
    """Every row has the expected status and failure kind (and message, when it carries one)."""
    got = {(row["learner"], row["exercise"]): row for row in rows}
    assert set(got) == keys
    for key in keys:
        status, kind, phrase = EXPECTED[key]
        row = got[key]
        assert row["status"] == status, (key, row)
        if kind is not None:
            assert row["failure_kind"] == kind, (key, row)
        elif status == "error":
            assert not row["failure_kind"], (key, row)
        if phrase and "message" in row:
            assert phrase in (row["message"] or ""), (key, row)


@pytest.fixture(scope="module")
def whole_run(course_dir: Path, batch: Path, tmp_path_factory) -> tuple[Path, str]:
    """The batch graded once, as JUnit XML to a file; the CLI's own stderr is kept."""
    out = tmp_path_factory.mktemp("reports") / "all.xml"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(
            ["--course", str(course_dir), "grade", str(batch), "--timeout", TIMEOUT]
            + ["--jobs", "2", "-o", str(out)]
        )
    assert status == 0, err.getvalue()
    return out, err.getvalue()


def junit_rows(text: str) -> list[dict[str, str | None]]:
    rows = []
    for case in ET.fromstring(text).iter("testcase"):
        failure, error = case.find("failure"), case.find("error")
        outcome = failure if failure is not None else error
        status = "passed"
        if failure is not None:
            status = "failed"
        elif error is not None:
            status = "timeout" if error.get("type") == "timeout" else "error"
        status = next(
            (p.get("value") for p in case.iter("property") if p.get("name") == "status"), status
        )
        kind = outcome.get("type") if outcome is not None else None
        rows.append(
            {
                "learner": case.get("classname"),
                "exercise": case.get("name"),
                "status": status,
                "failure_kind": None if kind in ("error", "failed", "missing") else kind,
                "message": outcome.text if outcome is not None else "",
            }
        )
    return rows


def test_every_verdict_in_junit(whole_run) -> None:
    out, err = whole_run
    root = ET.parse(out).getroot()  # a standard XML parser reads it
    suites = [suite.get("name") for suite in root.findall("testsuite")]
    assert suites == ["alice", "bob", "carol", "dave", "erin", "frank", "ghost"]
    check_rows(junit_rows(out.read_text()), set(EXPECTED))
    assert "graded 14/14 files" in err
    assert "stray.py: skipped" in err
    assert "erin/src: skipped; subfolders" in err


def test_every_verdict_in_json_and_csv(whole_run, tmp_path: Path) -> None:
    """The same verdicts, written by `merge` through the writers `grade` uses."""
    out, _ = whole_run
    assert main(["merge", str(out), "-o", str(tmp_path / "all.json")]) == 0
    assert main(["merge", str(out), "-o", str(tmp_path / "all.csv")]) == 0
    check_rows(json.loads((tmp_path / "all.json").read_text())["results"], set(EXPECTED))
    csv_text = (tmp_path / "all.csv").read_text()
    assert csv_text.splitlines()[0].startswith("learner,exercise,status,duration_s,failure_kind,")
    check_rows(list(csv.DictReader(io.StringIO(csv_text))), set(EXPECTED))


def test_shards_partition_the_batch_and_merge_back(
    whole_run, course_dir: Path, batch: Path, capsys, tmp_path: Path
) -> None:
    parts = []
    for index, fmt in ((1, "json"), (2, "csv"), (3, "json")):
        target = tmp_path / f"part{index}.{fmt}"
        status, _, err = grade(
            course_dir, batch, capsys, "--shard", f"{index}/3", "-o", str(target)
        )
        assert status == 0, err
        assert f"(shard {index}/3 of a batch of 14)" in err
        parts.append(target)

    first = json.loads(parts[0].read_text())["results"]
    second = list(csv.DictReader(io.StringIO(parts[1].read_text())))
    third = json.loads(parts[2].read_text())["results"]
    keys = [{(r["learner"], r["exercise"]) for r in part} for part in (first, second, third)]
    assert sum(map(len, keys)) == 14 and set.union(*keys) == set(EXPECTED)  # disjoint, complete
    for part, part_keys in zip((first, second, third), keys, strict=True):
        check_rows(part, part_keys)

    merged_path = tmp_path / "merged.json"
    assert main(["merge", *map(str, parts), "-o", str(merged_path)]) == 0
    merged = json.loads(merged_path.read_text())
    without_messages = [{k: v for k, v in r.items() if k != "message"} for r in merged["results"]]
    check_rows(without_messages, set(EXPECTED))  # the CSV part carried first lines only
    whole = {
        (r["learner"], r["exercise"], r["status"]) for r in junit_rows(whole_run[0].read_text())
    }
    assert {(r["learner"], r["exercise"], r["status"]) for r in merged["results"]} == whole

    assert main(["merge", str(parts[0]), str(parts[2])]) == 1  # shard 2/3 missing
    assert "shard(s) 2/3 missing" in capsys.readouterr().err


def test_the_same_seed_gives_the_same_verdict_and_interleaving(
    course_dir: Path, tmp_path: Path, capsys
) -> None:
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / "safe-counter.py").write_text(BUGGY["safe-counter"])
    rows = []
    for _ in range(2):
        status, out, _ = grade(course_dir, tmp_path, capsys, "--seed", "7")
        assert status == 0
        (row,) = json.loads(out)["results"]
        message = re.sub(r"0x[0-9a-f]+", "0x?", row["message"])  # object addresses vary
        rows.append((row["status"], row["failure_kind"], message))
    assert rows[0] == rows[1]
    assert rows[0][0] == "failed" and "self.hits" in rows[0][2]  # the conflict is named


@pytest.mark.parametrize(
    "args, message",
    [
        (["--shard", "0/2"], "--shard 0/2"),
        (["--jobs", "0"], "--jobs 0"),
        (["--timeout", "-1"], "--timeout -1"),
    ],
)
def test_usage_errors_exit_2(course_dir, batch, capsys, args, message) -> None:
    status, out, err = grade(course_dir, batch, capsys, *args)
    assert (status, out) == (2, "")
    assert message in err


def test_an_unwritable_report_path_is_refused_before_grading(course_dir, batch, capsys) -> None:
    status, out, err = grade(course_dir, batch, capsys, "-o", str(batch / "alice"))
    assert (status, out) == (2, "")
    assert "is a directory" in err and "graded" not in err


def test_a_missing_directory_is_a_usage_error(course_dir, tmp_path, capsys) -> None:
    status, _, err = grade(course_dir, tmp_path / "absent", capsys)
    assert status == 2 and "no such directory" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_files_and_folders_are_rows(course_dir, tmp_path, capsys) -> None:
    (tmp_path / "zoe").mkdir()
    locked = tmp_path / "zoe" / "add-numbers.py"
    locked.write_text(GOOD["add-numbers"])
    locked.chmod(0)
    (tmp_path / "yan").mkdir(mode=0)
    try:
        status, out, _ = grade(course_dir, tmp_path, capsys)
    finally:
        locked.chmod(0o644)
        (tmp_path / "yan").chmod(0o755)
    rows = {(r["learner"], r["exercise"]): r for r in json.loads(out)["results"]}
    assert status == 0
    assert "cannot read add-numbers.py" in rows["zoe", "add-numbers"]["message"]
    assert "cannot read the learner's directory" in rows["yan", "*"]["message"]


def test_a_handed_in_zip_unpacks_into_a_gradable_batch(
    course_dir: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("USER", "hana")
    state = LearnerState(load_course(course_dir))
    state.save_code("add-numbers", GOOD["add-numbers"])
    state.record_verdict("add-numbers", {"exercise": "add-numbers", "status": "passed"})
    assert main(["--course", str(course_dir), "export", "-o", str(tmp_path / "hana.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "hana.zip") as archive:
        archive.extractall(tmp_path / "handins")
    # The zip holds <course>/<learner>/: hand-ins for another course land in another folder.
    assert [p.name for p in (tmp_path / "handins").iterdir()] == ["instructor-fixture"]
    status, out, _ = grade(course_dir, tmp_path / "handins" / "instructor-fixture", capsys)
    assert status == 0
    assert [(r["learner"], r["exercise"], r["status"]) for r in json.loads(out)["results"]] == [
        ("hana", "add-numbers", "passed")
    ]


def test_a_progress_bar_only_on_a_terminal(course_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "sub" / "ann").mkdir(parents=True)
    (tmp_path / "sub" / "ann" / "add-numbers.py").write_text(GOOD["add-numbers"])
    command = [sys.executable, "-m", "tutor", "--course", str(course_dir), "grade"]
    command += [str(tmp_path / "sub"), "-o", str(tmp_path / "out.json")]
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100"}
    piped = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and "grading" not in piped.stderr
    assert "graded 1/1 files" in piped.stderr

    main_fd, terminal_fd = pty.openpty()
    try:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=terminal_fd)
        os.close(terminal_fd)
        chunks = []
        while True:
            try:
                chunk = os.read(main_fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=120) == 0
    finally:
        os.close(main_fd)
    shown = b"".join(chunks).decode("utf-8", errors="replace")
    assert "grading" in shown and "1/1" in shown and "ann/add-numbers" in shown
