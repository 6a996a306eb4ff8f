"""The demo block format (docs/lessons.md) and the `tutor demo` command."""

from __future__ import annotations

import pytest

from tutor.demos import DEFAULT_TIMEOUT_S, DemoFormatError, find_demo, parse_demos

FENCE = "```"


def lesson(*blocks: str) -> str:
    return "# A lesson\n\nSome prose.\n\n" + "\n\nMore prose.\n\n".join(blocks) + "\n"


def test_demos_are_numbered_in_order_and_titled_by_their_first_comment() -> None:
    text = lesson(
        f"{FENCE}python demo\n# First one\nprint(1)\n{FENCE}",
        f"{FENCE}python\nprint('shown, not run')\n{FENCE}",
        f"{FENCE}python demo\nprint(2)\n{FENCE}",
    )
    demos = parse_demos(text)
    assert [d.number for d in demos] == [1, 2]
    assert [d.title for d in demos] == ["First one", "Demo 2"]
    assert demos[0].code == "# First one\nprint(1)\n"
    assert demos[1].code == "print(2)\n"
    assert text.splitlines()[demos[0].line - 1] == f"{FENCE}python demo"
    assert demos[0].timeout_s == DEFAULT_TIMEOUT_S


def test_a_demo_shown_inside_a_longer_fence_is_not_a_demo() -> None:
    text = lesson(f"````markdown\n{FENCE}python demo\nprint(1)\n{FENCE}\n````")
    assert parse_demos(text) == ()


def test_tilde_fences_and_indented_fences_count() -> None:
    text = lesson("  ~~~python demo\n  import sys\n  print(sys.argv)\n  ~~~")
    (demo,) = parse_demos(text)
    assert demo.code == "import sys\nprint(sys.argv)\n"


def test_timeout_option() -> None:
    (demo,) = parse_demos(lesson(f"{FENCE}python demo timeout=60\npass\n{FENCE}"))
    assert demo.timeout_s == 60.0


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        (f"{FENCE}python demo\nprint(1)\n", "never closed"),
        (f"{FENCE}python demo\n\n{FENCE}", "empty"),
        (f"{FENCE}python demo\nprint(1\n{FENCE}", "not valid Python"),
        (f"{FENCE}python demo fast\npass\n{FENCE}", "unknown demo option"),
        (f"{FENCE}python demo timeout=abc\npass\n{FENCE}", "not a number"),
        (f"{FENCE}python demo timeout=9999\npass\n{FENCE}", "between"),
    ],
)
def test_malformed_demos_are_reported_with_their_line(block: str, problem: str) -> None:
    with pytest.raises(DemoFormatError, match=problem) as caught:
        parse_demos(lesson(block))
    assert caught.value.line >= 5


def test_find_demo_explains_what_exists() -> None:
    demos = parse_demos(lesson(f"{FENCE}python demo\npass\n{FENCE}"))
    assert find_demo(demos, 1) is demos[0]
    with pytest.raises(IndexError, match="demos 1 to 1"):
        find_demo(demos, 2)
    with pytest.raises(IndexError, match="no demos"):
        find_demo((), 1)
