"""Bounded capture of a stream: keep the first bytes, count the rest."""

from __future__ import annotations


class CappedBuffer:
    """Keeps at most ``cap`` bytes; ``dropped`` counts what did not fit."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._chunks: list[bytes] = []
        self.kept = 0
        self.dropped = 0

    def feed(self, data: bytes) -> None:
        room = self.cap - self.kept
        if room > 0:
            self._chunks.append(data[:room])
            self.kept += min(room, len(data))
        self.dropped += max(0, len(data) - max(room, 0))

    @property
    def total(self) -> int:
        return self.kept + self.dropped

    def data(self) -> bytes:
        return b"".join(self._chunks)

    def text(self) -> str:
        """The kept bytes as text, with a note saying how much was dropped."""
        text = self.data().decode("utf-8", errors="replace")
        if self.dropped:
            if text and not text.endswith("\n"):
                text += "\n"
            text += f"[... {self.dropped:,} more bytes dropped]"
        return text
