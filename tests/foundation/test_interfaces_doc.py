"""docs/interfaces.md is the repository's copy of the team contract: the two never drift."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# CI checks main out with ../shared beside it; the team's worktrees are one level deeper.
CONTRACT = next((p for p in (REPO.parent / "shared" / "contract.md",
                             REPO.parent.parent / "shared" / "contract.md") if p.is_file()),
                REPO.parent / "shared" / "contract.md")
COPY = REPO / "docs" / "interfaces.md"


def _body(text: str) -> str:
    """The text without the copy's leading HTML comment."""
    text = text.lstrip()
    if text.startswith("<!--"):
        text = text[text.index("-->") + 3:]
    return text.strip()


def test_the_interfaces_page_is_the_contract() -> None:
    if not CONTRACT.is_file():
        pytest.skip(f"no contract beside the checkout ({CONTRACT})")
    assert _body(COPY.read_text(encoding="utf-8")) == _body(CONTRACT.read_text(encoding="utf-8"))


def test_the_readme_and_architecture_point_to_the_page_in_the_repository() -> None:
    for doc in (REPO / "README.md", REPO / "docs" / "architecture.md"):
        text = doc.read_text(encoding="utf-8")
        assert "interfaces.md" in text and "shared/contract.md" not in text, doc
