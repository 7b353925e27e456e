"""Documentation works in a fresh clone: every link of README.md and docs/*.md resolves inside the repository, and
the contracts copied into docs/spec/ equal the team's originals (../shared/spec/) whenever those sit beside it."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_SPEC = ROOT.parent / "shared" / "spec"
CONTRACTS = ("standard-survey.md", "cli.md", "urls.md")
# [text](target) and ![alt](target); the target ends at whitespace or ")" (titles after a space are ignored).
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.M)


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "docs" / "spec").glob("*.md"))]


def _anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in HEADING.findall(text)}


def _dead_links(document: Path) -> list[str]:
    text = document.read_text(encoding="utf-8")
    dead = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto: — outside the repository
            continue
        path, _, anchor = target.partition("#")
        resolved = (document.parent / unquote(path)).resolve() if path else document
        if path and (not resolved.is_relative_to(ROOT) or not resolved.exists()):
            dead.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved.read_text(encoding="utf-8")):
            dead.append(target)
    return dead


@pytest.mark.parametrize("document", _documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves_inside_the_repository(document: Path) -> None:
    assert _dead_links(document) == []


def test_the_link_check_finds_a_dead_link(tmp_path: Path) -> None:
    broken = tmp_path / "x.md"
    broken.write_text("[spec](../shared/spec/cli.md) [ok](https://example.org) [self](#x)\n# X\n", encoding="utf-8")
    assert _dead_links(broken) == ["../shared/spec/cli.md"]


def test_the_contracts_are_in_the_repository() -> None:
    for name in CONTRACTS:
        assert (ROOT / "docs" / "spec" / name).is_file(), name


@pytest.mark.skipif(not SHARED_SPEC.is_dir(), reason="no ../shared/spec beside this clone to compare with")
@pytest.mark.parametrize("name", CONTRACTS)
def test_the_copied_contracts_equal_the_originals(name: str) -> None:
    assert (ROOT / "docs" / "spec" / name).read_bytes() == (SHARED_SPEC / name).read_bytes(), (
        f"docs/spec/{name} differs from ../shared/spec/{name}: copy the contract again")
