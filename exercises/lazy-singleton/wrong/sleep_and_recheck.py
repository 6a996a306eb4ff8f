# Wrong: a sleep between two unlocked checks narrows the window in real time but never closes it.
"""Idea: sleep, then check the settings again."""

import time


class Settings:
    built = 0

    def __init__(self):
        Settings.built += 1
        self.values = {"theme": "dark", "page_size": 20}


_settings = None


def get_settings():
    global _settings
    if _settings is None:
        time.sleep(0.01)
        if _settings is None:
            _settings = Settings()
    return _settings
