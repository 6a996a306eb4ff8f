"""``str(InterleavingFailure)`` is read in an 80-column terminal (``tutor check``)."""

from __future__ import annotations

import pytest
import seeded

from tutor.interleave import InterleavingFailure, explore, replay

pytestmark = pytest.mark.usefixtures("clean_process")


def _failure(name: str) -> InterleavingFailure:
    setup, threads, check, _ = seeded.BUGGY[name]
    with pytest.raises(InterleavingFailure) as info:
        explore(setup, threads, check, max_steps=3000)
    return info.value


@pytest.mark.parametrize("name", sorted(seeded.BUGGY))
def test_the_timeline_fits_80_columns_for_every_seeded_bug(name):
    exc = _failure(name)
    lines = str(exc).splitlines()
    # Issue 14: the learner's terms first, and every line fits, the first one too (it used to
    # be the internal message on one unwrapped line; consumers now take ``to_dict()``).
    assert " ".join(exc.headline.split()) == " ".join(lines[: lines.index("")]).strip()
    assert "check(state)" not in exc.headline and "v1:" not in exc.headline
    too_wide = [line for line in lines if len(line) > 80]
    assert not too_wide, "\n".join(too_wide)
    assert " ".join(exc.message.split()) in " ".join(str(exc).split())  # in the details
    assert "How it happened" in str(exc) and "Schedule:" in str(exc)


def test_narrow_cells_keep_line_source_and_event():
    exc = _failure("if_not_while")  # three threads: 25 columns each
    text = str(exc)
    assert "s.cond.wait()" in text and "[wait on s.cond]" in text
    assert "\u2026" in text  # long text is cut with an ellipsis, not wrapped by the terminal


def test_a_long_schedule_is_broken_over_lines_and_still_replays():
    from tutor.interleave._render import wrap_schedule as _wrap_schedule

    schedule = "v1:" + ",".join(f"{k}>{k % 2}" for k in range(40))
    lines = _wrap_schedule(schedule, 30)
    assert len(lines) > 1 and all(len(line) <= 30 for line in lines)
    setup, threads, check, _ = seeded.BUGGY["lost_update"]
    exc = _failure("lost_update")
    shown = "\n  ".join(_wrap_schedule(exc.schedule, 6))  # as a learner would copy it
    with pytest.raises(InterleavingFailure) as again:
        replay(setup, threads, check, shown)
    assert again.value.message == exc.message
