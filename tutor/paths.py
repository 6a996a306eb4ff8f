"""Where things live: the built-in course and the learner's home directory."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "threading-tutor"
_PACKAGE_DIR = Path(__file__).resolve().parent


def builtin_course_root() -> Path:
    """The built-in course: inside the installed wheel, else the repository's top level.

    A wheel carries ``lessons/`` and ``exercises/`` as ``tutor/_builtin/``; a source checkout
    (or an editable install) keeps them beside the package.
    """
    packaged = _PACKAGE_DIR / "_builtin"
    if (packaged / "exercises").is_dir() or (packaged / "lessons").is_dir():
        return packaged
    return _PACKAGE_DIR.parent


def tutor_home() -> Path:
    """The learner's data directory: ``$TUTOR_HOME``, else the platform's user data dir."""
    override = os.environ.get("TUTOR_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))
