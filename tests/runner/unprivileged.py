"""Run a command as an unprivileged uid, with the paths it needs made reachable (root only).

Usage: python unprivileged.py --uid N [--expose PATH]... -- COMMAND...

Some machines keep Python where other users cannot go (pyenv under /root, mode 0700). In a
mount namespace of its own, this script hides each such directory under a tmpfs that anyone may
enter and puts back, at their own paths, only the exposed paths beneath it; then it drops to
the uid (no groups, no capabilities) and execs the command. Nothing changes outside: the
namespace ends with the command. Used by test_unprivileged.py to run the hostile suites as a
non-root user on the same machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from tutor.runner.namespaces import (  # noqa: E402
    CLONE_NEWNS,
    MS_BIND,
    MS_PRIVATE,
    MS_REC,
    mount,
    unshare,
)

_MS_MOVE = 8192


def _blocking_ancestor(path: str) -> str | None:
    """The highest directory on the way to ``path`` that others may not enter."""
    parts = os.path.realpath(path).strip("/").split("/")
    for i in range(1, len(parts) + 1):
        ancestor = "/" + "/".join(parts[:i])
        if os.path.isdir(ancestor) and not os.stat(ancestor).st_mode & 0o001:
            return ancestor
    return None


def expose(paths: list[str]) -> None:
    unshare(CLONE_NEWNS)
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    by_ancestor: dict[str, list[str]] = {}
    for path in paths:
        ancestor = _blocking_ancestor(path)
        if ancestor is not None and ancestor != os.path.realpath(path):
            by_ancestor.setdefault(ancestor, []).append(os.path.realpath(path))
    for ancestor, inner in by_ancestor.items():
        stash = tempfile.mkdtemp(prefix="tutor-expose-")
        kept = []
        for i, path in enumerate(sorted(set(inner))):
            holder = os.path.join(stash, str(i))
            os.mkdir(holder)
            mount(path, holder, None, MS_BIND | MS_REC)
            kept.append((holder, path))
        mount("tutor-expose", ancestor, "tmpfs", 0, "mode=0755,size=1m")
        for holder, path in kept:
            os.makedirs(path, exist_ok=True)
            mount(holder, path, None, _MS_MOVE)
            os.rmdir(holder)
        os.rmdir(stash)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uid", type=int, required=True)
    parser.add_argument("--expose", action="append", default=[])
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    expose(args.expose)
    os.setgroups([])
    os.setresgid(args.uid, args.uid, args.uid)
    os.setresuid(args.uid, args.uid, args.uid)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
