"""Hidden tests for duplicate-finder: files with the same content, hashed at the same time.

The test's digest function waits until both pool threads are hashing (a barrier) before it
returns, as two real threads in hashlib do when the GIL is released: so the bookkeeping races
as it would for real, and a lock held around the hashing shows up as a deadlock.
"""

import hashlib
import threading

from tutor.interleave import explore

import submission


class Tree:
    def __init__(self):
        self.both_threads_hashing = threading.Barrier(2)
        self.finder = submission.DuplicateFinder(digest=self.digest)

    def digest(self, data):
        self.both_threads_hashing.wait()
        return hashlib.sha256(data).hexdigest()


def _add(path, data):
    def run(tree):
        tree.finder.add(path, data)
    return run


def test_originals_and_duplicates_in_one_thread():
    finder = submission.DuplicateFinder()
    for path, data in [("a", b"x"), ("b", b"yy"), ("c", b"x"), ("d", b"x")]:
        finder.add(path, data)
    assert sorted(finder.first_seen.values()) == ["a", "b"]
    assert finder.duplicates == [("c", "a"), ("d", "a")]
    assert finder.hashed_bytes == 5


def test_two_copies_hashed_at_once_are_one_original_and_one_duplicate():
    def check(tree):
        finder = tree.finder
        assert len(finder.duplicates) == 1, (
            f"two files with the same content gave {len(finder.duplicates)} duplicate(s)"
        )
        (copy, original), = finder.duplicates
        assert list(finder.first_seen.values()) == [original], (
            f"{copy} is listed as a copy of {original}, but first_seen holds "
            f"{list(finder.first_seen.values())}"
        )
        assert finder.hashed_bytes == 8, f"hashed_bytes is {finder.hashed_bytes}, not 8"

    explore(Tree, [_add("report.pdf", b"same"), _add("copy.pdf", b"same")], check)


def test_different_files_at_once():
    def check(tree):
        assert tree.finder.duplicates == []
        assert sorted(tree.finder.first_seen.values()) == ["a.txt", "b.txt"]
        assert tree.finder.hashed_bytes == 7, f"hashed_bytes is {tree.finder.hashed_bytes}"

    explore(Tree, [_add("a.txt", b"abc"), _add("b.txt", b"defg")], check)
