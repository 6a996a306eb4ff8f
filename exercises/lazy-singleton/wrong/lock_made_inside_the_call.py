# Wrong: a lock created inside get_settings() is a new lock on every call, so no two callers ever share it.
"""Idea: create the lock inside get_settings."""

import threading


class Settings:
    built = 0

    def __init__(self):
        Settings.built += 1
        self.values = {"theme": "dark", "page_size": 20}


_settings = None


def get_settings():
    global _settings
    lock = threading.Lock()
    with lock:
        if _settings is None:
            _settings = Settings()
    return _settings
