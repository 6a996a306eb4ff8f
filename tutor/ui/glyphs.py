"""Small text renderings shared by screens: status marks, difficulty, a progress bar."""

from __future__ import annotations

STATUS_MARK = {"new": "○", "attempted": "◐", "passed": "●"}
STATUS_STYLE = {"new": "dim", "attempted": "yellow", "passed": "green"}
VERDICT_STYLE = {"passed": "bold green", "failed": "bold red", "timeout": "bold magenta",
                 "error": "bold red"}


def difficulty_stars(difficulty: int) -> str:
    """``2`` -> ``★★☆`` (difficulty runs from 1 to 3)."""
    level = max(0, min(3, int(difficulty)))
    return "★" * level + "☆" * (3 - level)


def progress_bar(done: int, total: int, width: int = 30) -> str:
    """A static bar (no animation, so nothing repaints while idle)."""
    filled = 0 if total <= 0 else round(width * done / total)
    return "━" * filled + "╌" * (width - filled)
