"""The footer of every screen: compact, and without the palette hint when the terminal is
narrow, so that at 60 columns every key it shows is whole (f1 and ctrl+p stay in the help)."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

PALETTE_MIN_WIDTH = 70


class TutorFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)

    def on_resize(self, event: events.Resize) -> None:
        self.show_command_palette = event.size.width >= PALETTE_MIN_WIDTH
