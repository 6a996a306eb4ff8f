"""A lazily built, process-wide settings object (reference fix).

"If not built, build it" is check-then-act on a global. A module-level lock
around the build, with a second check inside the lock, makes exactly one
thread build it; the first check outside the lock is only a fast path once
the object exists.
"""

import threading


class Settings:
    built = 0

    def __init__(self):
        Settings.built += 1
        self.values = {"theme": "dark", "page_size": 20}


_settings = None
_settings_lock = threading.Lock()


def get_settings():
    """The process-wide Settings, built on first use."""
    global _settings
    if _settings is None:
        with _settings_lock:
            if _settings is None:
                _settings = Settings()
    return _settings
