"""Command palette entries for the course: every exercise and lesson, found by its title or id.

Typing "hit" in ctrl+p finds "A hit counter that loses hits"; Enter opens it, from any screen.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from tutor.ui.base import TutorServices


class CourseCommands(Provider):
    """Open an exercise or a lesson by name."""

    def _entries(self) -> list[tuple[str, str, str]]:
        """(what the palette shows, help, "exercise:<id>" or "lesson:<id>")."""
        course = cast("TutorServices", self.app).course
        entries = [(f"Exercise: {e.title}", f"{e.id} · {e.kind}, lesson {e.lesson}",
                    f"exercise:{e.id}") for e in course.exercises]
        entries += [(f"Lesson: {lesson.title}", lesson.id, f"lesson:{lesson.id}")
                    for lesson in course.lessons]
        return entries

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, target in self._entries():
            score = max(matcher.match(title), matcher.match(target.split(":", 1)[1]))
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._open, target),
                          help=help_text)

    async def discover(self) -> Hits:
        for title, help_text, target in self._entries():
            yield DiscoveryHit(title, partial(self._open, target), help=help_text)

    def _open(self, target: str) -> None:
        open_target = getattr(self.app, "open_target", None)
        if callable(open_target):
            open_target(target)
