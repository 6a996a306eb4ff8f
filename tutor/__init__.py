"""threading-tutor: learn how Python threads really work, and fix buggy threaded code.

This module stays import-light on purpose: hidden tests import ``tutor.interleave`` inside
a sandboxed child process, and the CLI's cold start time matters.
"""

__version__ = "0.1.0"
