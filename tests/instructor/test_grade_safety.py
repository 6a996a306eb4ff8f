"""`grade` reads the batch as untrusted: no symlink is followed, nothing outside DIR is read,
unusual names stay distinct and inert (issue 11, item 6); a pack that cannot grade is the
pack's fault, said in one line, not a column of learner errors (issue 17, item 4)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from instructor_pack import BUGGY, GOOD, REPO

from tutor.cli import main
from tutor.output import unescape

SECRET = "TOP-SECRET-7f3a"


def run_grade(course: Path, batch: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A real `python -m tutor grade`, so stderr is exactly what a terminal would get."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "tutor", "--course", str(course), "grade", str(batch)]
    return subprocess.run(
        [*command, "--timeout", "30", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_links_are_never_followed_and_nothing_outside_dir_is_read(
    course_dir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text(f"{SECRET} = 1\n")
    batch = tmp_path / "batch"
    (batch / "amy").mkdir(parents=True)
    (batch / "amy" / "add-numbers.py").write_text(GOOD["add-numbers"])
    (batch / "ben").mkdir()
    # ben "hands in" amy's passing file, and a file outside the batch.
    (batch / "ben" / "add-numbers.py").symlink_to(batch / "amy" / "add-numbers.py")
    (batch / "ben" / "safe-counter.py").symlink_to(outside)
    (batch / "cat").symlink_to(tmp_path)  # a whole "learner" that is the folder above
    report = tmp_path / "grades.json"
    result = run_grade(course_dir, batch, "-o", str(report), "--expect", "none")
    assert result.returncode == 0, result.stderr
    text = report.read_text()
    assert SECRET not in text and SECRET not in result.stderr
    rows = {(r["learner"], r["exercise"]): r for r in json.loads(text)["results"]}
    assert rows["amy", "add-numbers"]["status"] == "passed"
    for key in (("ben", "add-numbers"), ("ben", "safe-counter"), ("cat", "*")):
        assert rows[key]["status"] == "error", rows[key]
        assert "symbolic link" in rows[key]["message"]
    assert set(rows) == {("amy", "add-numbers"), ("ben", "add-numbers"),
                         ("ben", "safe-counter"), ("cat", "*")}  # fmt: skip


def test_unusual_names_stay_distinct_reversible_and_inert(course_dir: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    for name in ("zed\x01", "zed\x02", "\x1b[31mred\x1b[0m"):
        (batch / name).mkdir(parents=True)
        (batch / name / "add-numbers.py").write_text(BUGGY["add-numbers"])
    (batch / "zed\x01" / "\x1b]0;title\x07.py").write_text(GOOD["add-numbers"])
    parts = []
    for index in (1, 2):
        part = tmp_path / f"part{index}.json"
        result = run_grade(course_dir, batch, "--shard", f"{index}/2", "-o", str(part))
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr  # inert on a terminal
        parts.append(str(part))
    merged = tmp_path / "merged.json"
    assert main(["merge", *parts, "-o", str(merged)]) == 0  # the shards merge: names distinct
    rows = json.loads(merged.read_text())["results"]
    learners = sorted({unescape(row["learner"]) for row in rows})
    assert learners == sorted(["zed\x01", "zed\x02", "\x1b[31mred\x1b[0m"])
    unknown = [row for row in rows if row["status"] == "error"]
    assert [unescape(row["exercise"]) for row in unknown] == ["\x1b]0;title\x07"]
    assert "\x1b" not in merged.read_text()


def broken_pack(course_dir: Path, tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(course_dir, pack)
    test = pack / "exercises" / "add-numbers" / "test_hidden.py"
    test.write_text(test.read_text().replace("import submission", "import submision"))
    return pack


def test_a_pack_that_cannot_grade_exits_1_with_one_line(course_dir: Path, tmp_path: Path) -> None:
    pack = broken_pack(course_dir, tmp_path)
    batch = tmp_path / "batch"
    for learner in ("amy", "ben"):
        (batch / learner).mkdir(parents=True)
        (batch / learner / "add-numbers.py").write_text(GOOD["add-numbers"])
    report = tmp_path / "grades.json"
    result = run_grade(pack, batch, "-o", str(report))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and "the pack cannot grade add-numbers" in errors[0], result.stderr
    assert "reference solution gets error" in errors[0]
    assert not report.exists()  # no report of learner "errors" that are the pack's own


def test_a_learners_exit_at_import_is_the_learners_fault(
    course_dir: Path, tmp_path: Path, capsys
) -> None:
    batch = tmp_path / "batch"
    (batch / "amy").mkdir(parents=True)
    (batch / "amy" / "add-numbers.py").write_text("import sys\nsys.exit(0)\n")
    status = main(["--course", str(course_dir), "grade", str(batch)])
    (row,) = json.loads(capsys.readouterr().out)["results"]
    assert status == 0 and row["status"] == "error"
    assert "hidden tests are broken" not in row["message"]
    assert "while importing your code" in row["message"]


def test_missing_files_are_rows(course_dir: Path, tmp_path: Path, capsys) -> None:
    batch = tmp_path / "batch"
    (batch / "amy").mkdir(parents=True)
    (batch / "amy" / "add-numbers.py").write_text(GOOD["add-numbers"])
    (batch / "amy" / "safe-counter.py").write_text(GOOD["safe-counter"])
    (batch / "ben").mkdir()
    (batch / "ben" / "add-numbers.py").write_text(GOOD["add-numbers"])
    (batch / "cyd").mkdir()  # handed in nothing at all

    def statuses(*args: str) -> dict[tuple[str, str], str]:
        command = ["--course", str(course_dir), "grade", str(batch), "--format", "junit", *args]
        assert main(command) == 0
        import xml.etree.ElementTree as ET

        root = ET.fromstring(capsys.readouterr().out)
        tests = {s.get("name"): s.get("tests") for s in root.findall("testsuite")}
        assert tests == {"amy": "2", "ben": "2", "cyd": "2"}  # no learner looks complete
        return {
            (c.get("classname"), c.get("name")): next(
                p.get("value") for p in c.iter("property") if p.get("name") == "status"
            )
            for c in root.iter("testcase")
        }

    got = statuses()
    assert got["ben", "safe-counter"] == got["cyd", "add-numbers"] == "missing"
    assert got["amy", "safe-counter"] == "passed"
    assert main(["--course", str(course_dir), "grade", str(batch), "--expect", "add-numbers"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]
    assert [(r["learner"], r["status"]) for r in rows if r["status"] == "missing"] == [
        ("cyd", "missing")
    ]


def test_grade_writes_a_self_contained_html_page_and_flags_copies(
    course_dir: Path, tmp_path: Path, capsys
) -> None:
    own_fix = (
        '"""Counter."""\nimport threading\n\n\nclass Counter:\n    def __init__(self):\n'
        "        self.hits = 0\n        self.guard = threading.RLock()\n        self.log = []\n\n"
        "    def hit(self):\n        self.guard.acquire()\n        try:\n"
        "            self.hits = self.hits + 1\n            self.log.append(self.hits)\n"
        "        finally:\n            self.guard.release()\n"
    )
    renamed = own_fix.replace("guard", "mutex").replace("log", "history")
    batch = tmp_path / "batch"
    for learner, code in (("amy", own_fix), ("ben", renamed), ("cyd", GOOD["safe-counter"])):
        (batch / learner).mkdir(parents=True)
        (batch / learner / "safe-counter.py").write_text(code)
    page = tmp_path / "grades.html"
    command = ["--course", str(course_dir), "grade", str(batch), "--similar", "-o", str(page)]
    assert main(command) == 0
    err = capsys.readouterr().err
    assert "2 file(s) flagged as near-identical" in err and "grades.html (created)" in err
    html = page.read_text()
    assert "<!DOCTYPE html>" in html and "http" not in html.replace("http-equiv", "")
    assert "amy and ben" in html and "cyd" in html
