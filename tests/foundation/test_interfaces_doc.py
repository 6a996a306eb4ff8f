"""docs/interfaces.md is the repository's copy of the team contract: it may extend the
contract (a format spelled out, a field added), never drop anything the contract names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# CI checks main out with ../shared beside it; the team's worktrees are one level deeper.
CONTRACT = next((p for p in (REPO.parent / "shared" / "contract.md",
                             REPO.parent.parent / "shared" / "contract.md") if p.is_file()),
                REPO.parent / "shared" / "contract.md")
COPY = REPO / "docs" / "interfaces.md"


def named(text: str) -> set[str]:
    """Everything the text names in backticks: commands, options, fields, files, patterns."""
    return {token for token in re.findall(r"`([^`\n]+)`", text)}


def test_the_interfaces_page_names_everything_the_contract_names() -> None:
    if not CONTRACT.is_file():
        pytest.skip(f"no contract beside the checkout ({CONTRACT})")
    missing = named(CONTRACT.read_text(encoding="utf-8")) - named(COPY.read_text(encoding="utf-8"))
    assert not missing, f"docs/interfaces.md dropped what the contract names: {sorted(missing)}"


def test_the_readme_and_architecture_point_to_the_page_in_the_repository() -> None:
    for doc in (REPO / "README.md", REPO / "docs" / "architecture.md"):
        text = doc.read_text(encoding="utf-8")
        assert "interfaces.md" in text and "shared/contract.md" not in text, doc
