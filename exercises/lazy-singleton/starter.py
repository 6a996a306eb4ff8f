"""A lazily built, process-wide settings object.

`get_settings()` returns the one `Settings` object of the process, building
it on first use, because building it is slow (it reads files and opens a
connection to the config server) and many programs never need it. Every
request-handler thread calls `get_settings()`.

What is wrong: right after start-up, two `Settings` objects sometimes exist.
The config server sees two connections, and a setting changed through one
object is not seen through the other.

Fixed means: however threads interleave, `Settings` is built at most once
and every caller gets the same object. Keep the module-level names
`_settings` (None until built; the tests reset it) and `Settings.built` (how
many were ever built).
"""

import threading  # noqa: F401  (you will probably need it)


class Settings:
    built = 0

    def __init__(self):
        Settings.built += 1
        self.values = {"theme": "dark", "page_size": 20}


_settings = None


def get_settings():
    """The process-wide Settings, built on first use."""
    global _settings
    if _settings is None:
        _settings = Settings()
    return _settings
