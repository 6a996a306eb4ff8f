# Wrong: the check is outside the lock and not repeated inside, so two threads still both build.
"""Idea: check outside the lock and build under the lock without checking again."""

import threading


class Settings:
    built = 0

    def __init__(self):
        Settings.built += 1
        self.values = {"theme": "dark", "page_size": 20}


_settings = None
_settings_lock = threading.Lock()


def get_settings():
    global _settings
    if _settings is None:
        with _settings_lock:
            _settings = Settings()
    return _settings
