"""``grade --similar``: near-identical submissions for the same exercise, by winnowing.

The method is MOSS's (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for
document fingerprinting", SIGMOD 2003), written here because the one well-kept Python package
for it (copydetect) pulls in numpy and matplotlib. Each file is tokenized with Python's own
tokenizer, with names, strings and numbers normalized (renaming variables or rewording
comments changes nothing) and comments and blank lines dropped; every run of ``K`` tokens is
hashed, and the minimum hash of every window of ``W`` consecutive hashes is kept. Any run of
``K + W - 1`` tokens two files share gives them at least one fingerprint in common.

Everyone starts from the same starter and many reach the same fix, so the fingerprints of the
starter, of the reference solution and of code that most of the class wrote are not evidence
and are ignored. What is left is each file's own code; two files whose own code is mostly
the same (Jaccard index of their fingerprints at or above the threshold) are flagged, and
byte-identical files are whenever they hold any code of their own. A flag is a lead for
a person to look at, never a verdict.
"""

from __future__ import annotations

import hashlib
import io
import keyword
import tokenize
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

K = 8  # tokens per k-gram
W = 4  # k-grams per window: shared runs of K + W - 1 = 11 tokens are always seen
DEFAULT_THRESHOLD = 0.8
MIN_OWN_FINGERPRINTS = 6  # fewer than this of its own and a file is too small to judge
COMMON_SHARE = 0.5  # a fingerprint in more than half the class's files is common knowledge

_SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.TYPE_COMMENT}


@dataclass(frozen=True)
class Match:
    """Two files of one exercise that are nearly the same: ``score`` from 0 to 1."""

    exercise: str
    first: str
    second: str
    score: float


def tokens(source: str) -> list[str]:
    """The file's token stream, normalized so that renaming and rewording change nothing."""
    out: list[str] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in _SKIPPED:
                continue
            if tok.type == tokenize.NAME:
                out.append(tok.string if keyword.iskeyword(tok.string) else "N")
            elif tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_START", -1):
                out.append("S")
            elif tok.type == tokenize.NUMBER:
                out.append("0")
            elif tok.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE):
                out.append(tokenize.tok_name[tok.type])
            elif tok.type == tokenize.OP:
                out.append(tok.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # a file that does not tokenize to the end: its tokens so far still count
    return out


def fingerprints(source: str) -> frozenset[int]:
    """The winnowed fingerprints of ``source`` (robust winnowing: the rightmost minimum)."""
    stream = tokens(source)
    hashes = [_hash(" ".join(stream[i : i + K])) for i in range(len(stream) - K + 1)]
    if len(hashes) <= W:
        return frozenset(hashes)
    chosen: set[int] = set()
    for start in range(len(hashes) - W + 1):
        window = hashes[start : start + W]
        chosen.add(min(window))
    return frozenset(chosen)


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def similar_pairs(
    exercise: str,
    files: Mapping[str, bytes],
    *,
    known: Iterable[bytes] = (),
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Match]:
    """Pairs of learners whose files for ``exercise`` are nearly the same.

    ``files`` maps each learner to their file's bytes; ``known`` holds the code everyone may
    share (the starter, the reference solution), whose fingerprints are not evidence.
    """
    known = list(known)
    ignored: set[int] = set()
    for source in known:
        ignored |= fingerprints(_text(source))
    printed = {learner: fingerprints(_text(data)) for learner, data in files.items()}
    if len(files) >= 4:
        counts: dict[int, int] = {}
        for prints in printed.values():
            for value in prints:
                counts[value] = counts.get(value, 0) + 1
        ignored |= {value for value, n in counts.items() if n > COMMON_SHARE * len(files)}
    own = {learner: prints - ignored for learner, prints in printed.items()}
    untouched = {hashlib.sha256(source).digest() for source in known}
    digests = {learner: hashlib.sha256(data).digest() for learner, data in files.items()}
    matches = []
    for first, second in combinations(sorted(files), 2):
        a, b = own[first], own[second]
        if digests[first] == digests[second]:
            # The same bytes: flagged when there is anything of their own in them at all.
            if digests[first] not in untouched and a:
                matches.append(Match(exercise, first, second, 1.0))
            continue
        if min(len(a), len(b)) < MIN_OWN_FINGERPRINTS:
            continue
        score = len(a & b) / len(a | b)
        if score >= threshold:
            matches.append(Match(exercise, first, second, round(score, 2)))
    return matches


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
