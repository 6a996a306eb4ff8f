"""The example CI pipeline in docs/examples runs as written: its shell steps, job by job.

The workflow's `run:` steps are executed with bash (`bash -e`, as GitHub runs them) in a
directory laid out as the workflow expects (course/ and submissions/). The `uses:` steps are
done by hand: the checkout of the tutor is a copy of this working tree in tutor-src/ (built
once for the module), the artifacts are moved between jobs, the matrix is expanded one job
after the other. Every `run:`
step runs verbatim, `pip wheel` and `pip install` included, into a fresh virtual environment;
pip is only kept off the network (PIP_NO_INDEX) by finding the dependencies already there
(copied from this interpreter's site-packages). `validate --repeat 10` runs with 2 seeds to stay inside the test budget.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sysconfig
import textwrap
import venv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from instructor_pack import BUGGY, GOOD, REPO

WORKFLOW = REPO / "docs" / "examples" / "github-actions-grade.yml"
EDITABLE = shutil.ignore_patterns("__editable__*", "threading_tutor*", "_threading_tutor*", "tutor")
LEFT_OUT = shutil.ignore_patterns(
    ".git", ".venv*", "__pycache__", "*.egg-info", ".pytest_cache", "build", "dist"
)


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
        ["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A runner's environment: `python` is a fresh venv that pip installs into; the tutor's
    dependencies (and pip) are already there, copied from this interpreter's site-packages,
    so pip needs no index."""
    tmp = tmp_path_factory.mktemp("runner")
    home = tmp / "runner-python"
    venv.create(home, with_pip=False)
    site = subprocess.run(
        [home / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # The packages themselves, not a path to them: the grading sandbox shows its children
    # only the interpreter's own site-packages. This checkout's editable install stays out.
    shutil.copytree(sysconfig.get_paths()["purelib"], site, dirs_exist_ok=True, ignore=EDITABLE)
    path = f"{home / 'bin'}{os.pathsep}{os.environ['PATH']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_"))}
    return {
        **env,
        "PATH": path,
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's spelling of "build with what is installed"
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "TUTOR_HOME": str(tmp / "tutor-home"),
    }


@pytest.fixture(scope="module")
def wheel_dist(runner: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build job, run once: the tutor's source checked out as tutor-src/, built to dist/."""
    build = tmp_path_factory.mktemp("build")
    shutil.copytree(REPO, build / "tutor-src", ignore=LEFT_OUT)
    run_job(run_scripts(WORKFLOW.read_text())["build"], build, runner)
    return build / "dist"


@pytest.fixture
def repository(course_dir: Path, tmp_path: Path, wheel_dist: Path) -> Path:
    """A class's repository: the pack as course/, two learners' files as submissions/, the
    workflow in .github/workflows/, and the build job's wheel downloaded to dist/."""
    shutil.copytree(course_dir, tmp_path / "course")
    for learner, code in (("amir", GOOD), ("beth", BUGGY)):
        for exercise_id, text in code.items():
            path = tmp_path / "submissions" / learner / f"{exercise_id}.py"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(WORKFLOW, tmp_path / ".github" / "workflows" / "grade.yml")
    shutil.copytree(wheel_dist, tmp_path / "dist")
    return tmp_path


def run_job(job: list[str], repository: Path, env: dict[str, str], **values: str) -> None:
    for script in job:
        script = script.replace("--repeat 10", "--repeat 2")
        for name, value in values.items():
            script = script.replace("${{ " + name + " }}", value)
        result = bash(script, repository, env)
        assert result.returncode == 0, (script, result.stdout, result.stderr)


def test_the_example_pipeline_runs_as_written(repository: Path, runner: dict[str, str]) -> None:
    text = WORKFLOW.read_text()
    jobs = run_scripts(text)
    assert list(jobs) == ["build", "validate", "grade", "merge"]
    shards = matrix_shards(text)
    for needed in ("timeout-minutes", "cache: pip", "if: always()", "action-junit-report"):
        assert needed in text, needed

    (wheel,) = (repository / "dist").glob("threading_tutor-*.whl")
    run_job(jobs["validate"], repository, runner)
    installed = bash("python -c 'import tutor; print(tutor.__file__)'", repository, runner)
    assert "runner-python" in installed.stdout  # the wheel, not this checkout
    for shard in shards:  # the matrix, one job after the other
        values = {"matrix.shard": str(shard), "strategy.job-total": str(len(shards))}
        run_job(jobs["grade"], repository, runner, **values)
    (repository / "shards").mkdir()  # download-artifact with merge-multiple
    for report in repository.glob("shard-*.json"):
        report.rename(repository / "shards" / report.name)
    run_job(jobs["merge"], repository, runner)

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
    csv_text = (repository / "grades.csv").read_text()
    assert csv_text.startswith("learner,exercise,status,duration_s,failure_kind,")
    data = json.loads((repository / "grades.json").read_text())
    assert data["complete"] and data["seed"] == 0 and data["course"] == "instructor-fixture"
    assert "<!DOCTYPE html>" in (repository / "grades.html").read_text()
    assert wheel.exists()


def test_a_missing_shard_still_writes_every_format_and_fails(
    repository: Path, runner: dict[str, str]
) -> None:
    jobs = run_scripts(WORKFLOW.read_text())
    run_job(jobs["grade"], repository, runner, **{"matrix.shard": "1", "strategy.job-total": "2"})
    (repository / "shards").mkdir()
    (repository / "shard-1.json").rename(repository / "shards" / "shard-1.json")
    (merge_step,) = [s for s in jobs["merge"] if "merge" in s]
    result = bash(merge_step, repository, runner)
    assert result.returncode == 1, result.stderr
    assert "shard(s) 2/2 missing" in result.stderr
    for name in ("grades.json", "grades.xml", "grades.csv", "grades.html"):
        assert (repository / name).is_file(), name


def test_validate_fails_the_job_when_a_wrong_fix_passes(
    repository: Path, runner: dict[str, str]
) -> None:
    jobs = run_scripts(WORKFLOW.read_text())
    wrong = repository / "course/exercises/add-numbers/wrong"
    wrong.mkdir()
    (wrong / "actually-right.py").write_text(GOOD["add-numbers"])
    install, check = jobs["validate"]
    assert bash(install, repository, runner).returncode == 0
    result = bash(check.replace("--repeat 10", "--repeat 2"), repository, runner)
    assert result.returncode == 1
    assert "wrong/actually-right.py passes with seeds 0, 1" in result.stdout
