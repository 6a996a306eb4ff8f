"""Seeded bugs of every kind are found from every seed; their fixes never are; replay works."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import seeded

from tutor.interleave import InterleavingFailure, explore, replay

REPO = Path(__file__).resolve().parents[2]
NAMES = sorted(seeded.BUGGY)


@pytest.mark.parametrize("name", NAMES)
def test_bug_found_from_every_seed(name):
    case = seeded.BUGGY[name]
    missed = []
    for seed in range(100):
        kind, _, _ = seeded.run_case(case, seed, **seeded.BUG_LIMITS)
        if kind != case[3]:
            missed.append((seed, kind))
    assert missed == [], f"{name}: wrong or no finding for (seed, kind) {missed[:5]}"


@pytest.mark.parametrize("name", NAMES)
def test_fix_passes_every_seed(name):
    case = seeded.FIXED[name]
    alarms = []
    for seed in range(100):
        kind, _, _ = seeded.run_case(case, seed, **seeded.FIX_LIMITS_FOR.get(name, seeded.FIX_LIMITS))
        if kind is not None:
            alarms.append((seed, kind))
    assert alarms == [], f"{name}: a correct fix was flagged: {alarms[:5]}"


@pytest.mark.parametrize("name", NAMES)
def test_replay_reproduces_the_failure(name):
    setup, threads, check, kind = seeded.BUGGY[name]
    with pytest.raises(InterleavingFailure) as found:
        explore(setup, threads, check, seed=3, max_schedules=500, max_steps=2000)
    first = found.value
    assert first.kind == kind and first.schedule.startswith("v1:")
    for _ in range(2):
        with pytest.raises(InterleavingFailure) as again:
            replay(setup, threads, check, first.schedule, max_steps=2000)
        assert again.value.kind == first.kind
        assert again.value.message == first.message
        assert again.value.timeline == first.timeline
        assert str(again.value) == str(first)


@pytest.mark.parametrize("name", ["lost_update", "if_not_while", "lock_order_deadlock"])
def test_same_seed_same_result(name):
    setup, threads, check, _ = seeded.BUGGY[name]
    results = []
    for _ in range(2):
        with pytest.raises(InterleavingFailure) as found:
            explore(setup, threads, check, seed=7, max_schedules=500)
        results.append((found.value.report.schedules, found.value.schedule, str(found.value)))
    assert results[0] == results[1]
    fixed = seeded.FIXED[name]
    reports = [explore(*fixed[:3], seed=7, max_schedules=300) for _ in range(2)]
    assert [(r.schedules, r.exhausted, r.bound) for r in reports] == [
        (reports[0].schedules, reports[0].exhausted, reports[0].bound)] * 2


def _other_pythons():
    home = Path.home() / ".pyenv" / "versions"
    for version in ("3.12", "3.13"):
        found = sorted(home.glob(f"{version}.*/bin/python"))
        yield pytest.param(found[-1] if found else None, id=version)


@pytest.mark.slow
@pytest.mark.parametrize("python", _other_pythons())
def test_seeded_suite_on_other_versions(python):
    if python is None or not Path(python).exists():
        pytest.skip("interpreter not installed")
    if python.parent.parent.name[:4] in os.environ.get("TUTOR_CI_VERSIONS", "").split(","):
        pytest.skip("this CI run tests that version with its own interpreter (tests/interleave)")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    seeds = os.environ.get("TUTOR_SEEDED_SEEDS", "20")  # 100 for the full sweep
    proc = subprocess.run(
        [str(python), str(Path(__file__).with_name("seeded.py")), "--seeds", seeds],
        capture_output=True, text=True, env=env, timeout=600, cwd=str(REPO),
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    bad = {k: v for k, v in result["cases"].items() if any(v.values())}
    assert bad == {}, f"{result['python']}: {bad}"
    assert proc.returncode == 0
