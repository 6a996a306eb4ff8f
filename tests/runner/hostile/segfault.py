"""Crashes the interpreter with a segmentation fault inside a test."""

import ctypes


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        ctypes.string_at(0)
