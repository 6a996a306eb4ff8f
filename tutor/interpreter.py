"""Which Python builds the tutor runs on, checked once when the CLI or the app starts.

Free-threaded builds (``python3.14t``: no GIL) are refused with one line. The explorer, the
sandbox and the lessons' demos have been tested on the regular builds of 3.11 to 3.15 only,
and the lessons on the GIL describe what a regular build does; no free-threaded build could
be installed where the tutor is tested (README, "Set up a fresh machine").
"""

from __future__ import annotations

import sys
import sysconfig


def is_free_threaded() -> bool:
    """True on a free-threaded build (``Py_GIL_DISABLED``), even if the GIL was re-enabled."""
    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def unsupported_reason() -> str | None:
    """One line saying why this interpreter cannot run the tutor, or None if it can."""
    if is_free_threaded():
        version = "{}.{}".format(*sys.version_info[:2])
        return (
            f"free-threaded Python ({version}t) is not supported yet: run the tutor with a "
            f"regular build of Python {version} (python{version})"
        )
    return None
