"""The example CI pipeline in docs/examples runs as written: its shell steps, job by job.

The workflow's `run:` steps are executed with bash in a directory laid out as the workflow
expects (course/ and submissions/), the matrix expanded by hand and the artifact steps done
by moving files. Only `pip install` is skipped (the tutor is already importable) and
`validate --repeat 10` runs with 2 seeds to stay inside the test budget.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from instructor_pack import BUGGY, GOOD, REPO

WORKFLOW = REPO / "docs" / "examples" / "github-actions-grade.yml"


def run_scripts(workflow: str) -> dict[str, list[str]]:
    """Job name -> the scripts of its `run:` steps, in order (single-line and `|` blocks)."""
    jobs: dict[str, list[str]] = {}
    lines = workflow.splitlines()
    in_jobs, job = False, None
    for number, line in enumerate(lines):
        if line.startswith("jobs:"):
            in_jobs = True
        elif in_jobs and (m := re.match(r"^  ([\w-]+):\s*$", line)):
            job = m.group(1)
            jobs[job] = []
        elif job and (m := re.match(r"^(\s*)(- )?run: (.*)$", line)):
            column = len(m.group(1)) + len(m.group(2) or "")
            if m.group(3).strip() != "|":
                jobs[job].append(m.group(3))
                continue
            block = []
            for following in lines[number + 1 :]:
                indent = len(following) - len(following.lstrip())
                if following.strip() and indent <= column:
                    break
                block.append(following)
            jobs[job].append(textwrap.dedent("\n".join(block)))
    return jobs


def matrix_shards(workflow: str) -> list[int]:
    m = re.search(r"shard: \[([\d, ]+)\]", workflow)
    assert m, "the example has no shard matrix"
    return [int(x) for x in m.group(1).split(",")]


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.fixture
def repository(course_dir: Path, tmp_path: Path) -> Path:
    """A class's repository: the pack as course/, two learners' files as submissions/."""
    shutil.copytree(course_dir, tmp_path / "course")
    for learner, code in (("amir", GOOD), ("beth", BUGGY)):
        for exercise_id, text in code.items():
            path = tmp_path / "submissions" / learner / f"{exercise_id}.py"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return tmp_path


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """`python` on PATH is this interpreter, and it imports this checkout, as on the runner."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    path = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    return {**os.environ, "PATH": path, "PYTHONPATH": str(REPO)}


def test_the_example_pipeline_runs_as_written(repository: Path, env: dict[str, str]) -> None:
    text = WORKFLOW.read_text()
    jobs = run_scripts(text)
    assert list(jobs) == ["validate", "grade", "merge"]
    shards = matrix_shards(text)

    def steps(job: str) -> list[str]:
        return [s for s in jobs[job] if not s.startswith("pip install")]

    for script in steps("validate"):
        result = bash(script.replace("--repeat 10", "--repeat 2"), repository, env)
        assert result.returncode == 0, (script, result.stdout, result.stderr)

    for shard in shards:  # the matrix, one job after the other
        for script in steps("grade"):
            script = script.replace("${{ matrix.shard }}", str(shard))
            script = script.replace("${{ strategy.job-total }}", str(len(shards)))
            result = bash(script, repository, env)
            assert result.returncode == 0, (script, result.stderr)
    (repository / "shards").mkdir()  # download-artifact with merge-multiple
    for report in repository.glob("shard-*.json"):
        report.rename(repository / "shards" / report.name)

    for script in steps("merge"):
        result = bash(script, repository, env)
        assert result.returncode == 0, (script, result.stderr)
    cases = ET.parse(repository / "grades.xml").getroot().iter("testcase")
    statuses = {
        (case.get("classname"), case.get("name")): "not passed"
        if case.find("failure") is not None or case.find("error") is not None
        else "passed"
        for case in cases
    }
    assert statuses == {
        ("amir", "add-numbers"): "passed",
        ("amir", "safe-counter"): "passed",
        ("beth", "add-numbers"): "not passed",
        ("beth", "safe-counter"): "not passed",
    }
    assert (
        (repository / "grades.csv")
        .read_text()
        .startswith("learner,exercise,status,duration_s,failure_kind\n")
    )


def test_the_wrong_fix_step_fails_when_a_wrong_fix_passes(
    repository: Path, env: dict[str, str]
) -> None:
    """The validate job's loop is not a no-op: a 'wrong' file that passes fails the job."""
    wrong_loop = [s for s in run_scripts(WORKFLOW.read_text())["validate"] if "wrong" in s]
    assert len(wrong_loop) == 1
    (repository / "course/exercises/add-numbers/wrong").mkdir()
    (repository / "course/exercises/add-numbers/wrong/actually-right.py").write_text(
        GOOD["add-numbers"]
    )
    result = bash(wrong_loop[0], repository, env)
    assert result.returncode == 1
    assert "actually-right.py::this wrong fix passes" in result.stdout
