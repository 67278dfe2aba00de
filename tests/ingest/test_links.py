"""Symbolic links in walked folders, on real files: followed, or fenced in by `allowed_roots`.

The command line follows links (the user named the folder; links are how corpora get assembled),
walking each real folder once. The server passes `allowed_roots`: then nothing whose real path
is outside them is read or even listed, whether the link is to a file or a folder, nested or not.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storyline.ingest import iter_sources, read_path
from storyline.model import RawDocument, ReadFailure

OUTSIDE_WORD = "Quorvath"


@pytest.fixture
def tree(tmp_path: Path) -> dict[str, Path]:
    """inbox/ with a story and links out, links in, and loops; outside/ beside it."""
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    (inbox / "sub" / "deeper").mkdir(parents=True)
    (outside / "folder").mkdir(parents=True)
    (inbox / "story.txt").write_text("Harbour reopens\n\nThe harbour of Velmora reopened.")
    (outside / "secret.txt").write_text(f"Outside\n\nThe word {OUTSIDE_WORD} stays outside.")
    (outside / "folder" / "listed-name.txt").write_text(f"{OUTSIDE_WORD} in a folder.")
    links = {
        inbox / "sub" / "deeper" / "to-file.txt": outside / "secret.txt",
        inbox / "sub" / "to-folder": outside / "folder",
        inbox / "sub" / "chain.txt": inbox / "sub" / "deeper" / "to-file.txt",
        inbox / "sub" / "up": inbox,
        inbox / "alias.txt": inbox / "story.txt",
        inbox / "loop.txt": inbox / "loop.txt",
    }
    for link, target in links.items():
        link.symlink_to(target)
    return {"inbox": inbox, "outside": outside}


def texts(items: list[RawDocument | ReadFailure]) -> list[str]:
    return [item.text for item in items if isinstance(item, RawDocument)]


def failures(items: list[RawDocument | ReadFailure]) -> dict[str, str]:
    return {os.path.basename(i.source): i.reason for i in items if isinstance(i, ReadFailure)}


def test_confined_walk_reads_nothing_outside(tree: dict[str, Path]) -> None:
    roots = [str(tree["inbox"].resolve())]
    items = list(read_path(str(tree["inbox"]), allowed_roots=roots))
    assert not any(OUTSIDE_WORD in text for text in texts(items))
    refused = failures(items)
    for name in ("to-file.txt", "to-folder", "chain.txt"):
        assert refused[name] == "refused: a link that leads outside the allowed folder"
    assert "Too many levels of symbolic links" in refused["loop.txt"]
    # The outside folder is not even listed: none of its file names shows up.
    assert all("listed-name" not in item.source for item in items)
    # Links that stay inside are followed; the link back up to inbox/ does not walk it twice.
    assert texts(items).count("Harbour reopens\n\nThe harbour of Velmora reopened.") == 2


@pytest.mark.parametrize("name", ["sub/to-folder", "sub/deeper/to-file.txt", "sub/chain.txt"])
def test_confined_read_of_a_named_link_out_is_refused(tree: dict[str, Path], name: str) -> None:
    items = list(read_path(str(tree["inbox"] / name), allowed_roots=[str(tree["inbox"].resolve())]))
    assert texts(items) == []
    assert set(failures(items).values()) == {
        "refused: a link that leads outside the allowed folder"
    }


def test_allowed_root_reached_through_a_link_is_walked(
    tree: dict[str, Path], tmp_path: Path
) -> None:
    (tmp_path / "door").symlink_to(tree["inbox"])
    items = list(read_path(str(tmp_path / "door"), allowed_roots=[str(tree["inbox"].resolve())]))
    assert "The harbour of Velmora reopened." in "".join(texts(items))
    assert not any(OUTSIDE_WORD in text for text in texts(items))


def test_unconfined_walk_follows_links_once_and_ends(tree: dict[str, Path]) -> None:
    sources = list(iter_sources([str(tree["inbox"])]))
    shown = [os.path.relpath(source, tree["inbox"]) for source in sources]
    assert shown == [
        "alias.txt", "loop.txt", "story.txt", "sub/chain.txt",
        "sub/deeper/to-file.txt", "sub/to-folder/listed-name.txt",
    ]
    items = [item for source in sources for item in read_path(source)]
    assert sum(OUTSIDE_WORD in text for text in texts(items)) == 3
    assert list(failures(items)) == ["loop.txt"]


def test_folder_link_loop_ends(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "back").symlink_to(tmp_path)
    (tmp_path / "a" / "note.txt").write_text("A note.")
    assert list(iter_sources([str(tmp_path)])) == [str(tmp_path / "a" / "note.txt")]
