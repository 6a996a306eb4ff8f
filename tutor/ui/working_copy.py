"""Keeps the editor and the learner's file in step, so typed text is never lost.

Saving: at most one second after the first unsaved keystroke (a steady typist is saved every
second, not only when they pause), and whenever the screen asks (check, leave, quit). Every
save is a version in the history (``tutor.history``).

Watching: the screen polls ``poll()`` once a second. When the file was deleted or emptied
outside, the editor's text is written back. When it was edited outside, the other version is
kept in the history and loaded as one undoable edit, unless the learner has unsaved typing
here: then the typing wins (it is saved over the file) and the other version stays in the
history. Either way the learner is told in one line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.timer import Timer

from tutor.ui.base import Severity

if TYPE_CHECKING:
    from tutor.history import Version
    from tutor.state import LearnerState
    from tutor.ui.widgets.code_editor import CodeEditor

AUTOSAVE_DELAY_S = 1.0


@dataclass(frozen=True)
class News:
    """What ``poll`` or a save found, for the status line."""

    message: str
    severity: Severity = "information"
    reloaded: bool = False


class WorkingCopyKeeper:
    """The bridge between one exercise's ``CodeEditor`` and its working copy."""

    def __init__(self, state: LearnerState, exercise_id: str, editor: CodeEditor) -> None:
        self.state = state
        self.exercise_id = exercise_id
        self.editor = editor
        self.saved_text = ""
        self._seen: tuple[int, int, int] | None = None
        self._timer: Timer | None = None

    @property
    def path(self) -> os.PathLike[str]:
        return self.state.work_path(self.exercise_id)

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size, info.st_ino

    def load(self) -> None:
        """Open the working copy in the editor (a fresh undo history)."""
        self.saved_text = self.state.read_code(self.exercise_id)
        self.editor.load_text(self.saved_text)
        self._seen = self._stamp()

    @property
    def unsaved(self) -> bool:
        return self.editor.text != self.saved_text

    def text_changed(self) -> None:
        if self._timer is None and self.unsaved:
            self._timer = self.editor.set_timer(AUTOSAVE_DELAY_S, self._autosave)

    def _autosave(self) -> None:
        self._timer = None
        self.save_now()

    def save_now(self, reason: str = "save", *, force: bool = False) -> News | None:
        """Save the editor's text if it changed (or ``force``); None when nothing was saved."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = self.editor.text
        if text == self.saved_text and self._stamp() is not None and not force:
            return None
        try:
            self.state.save_code(self.exercise_id, text, reason)
        except OSError as exc:
            return News(f"could not save ({exc.strerror or exc}); your code is still here",
                        "error")
        self.saved_text = text
        self._seen = self._stamp()
        return News("saved")

    def poll(self) -> News | None:
        """Look at the file on disk; act on an outside change (see the module docstring)."""
        stamp = self._stamp()
        if stamp == self._seen:
            return None
        self._seen = stamp
        text = self.editor.text
        if stamp is None or (stamp[1] == 0 and text.strip()):
            gone = "deleted" if stamp is None else "emptied"
            self.save_now("written-back", force=True)
            return News(f"the file was {gone} outside the tutor: your code was written back",
                        "warning")
        try:
            disk = self.state.read_code(self.exercise_id)
        except (OSError, UnicodeDecodeError) as exc:
            return News(f"the file on disk cannot be read ({exc}); your code here is kept",
                        "warning")
        if disk == text:
            self.saved_text = disk
            return None
        if disk == self.saved_text:  # touched, not changed
            return None
        self.state.record_version(self.exercise_id, "outside")
        if self.unsaved:
            self.save_now()
            return News("the file changed outside while you typed: your typing is kept, "
                        "the other version is in the history (f9)", "warning")
        self.editor.replace_all(disk)
        self.saved_text = disk
        return News("changed outside the tutor: reloaded (ctrl+z undoes it)", reloaded=True)

    def restore(self, version: Version) -> None:
        """Bring back an older version (the current one stays in the history); undoable."""
        self.save_now()
        self.state.restore_version(self.exercise_id, version)
        self._take_from_disk()

    def reset(self) -> bool:
        """Back to the starter (the current code stays in the history); False if it already
        was the starter."""
        self.save_now()
        changed = not self.state.is_untouched(self.exercise_id)
        self.state.reset(self.exercise_id)
        self._take_from_disk()
        return changed

    def _take_from_disk(self) -> None:
        text = self.state.read_code(self.exercise_id)
        self.editor.replace_all(text)
        self.saved_text = text
        self._seen = self._stamp()
