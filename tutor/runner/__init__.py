"""Run untrusted commands in a sandboxed child process tree (no Textual, stdlib only).

``run_sandboxed`` runs a command to its end, ``start_sandboxed`` starts an interactive one;
``docs/sandbox.md`` says what is isolated and how.
The names below are imported lazily: the reaper and the pytest plugin live in this package,
start once per run, and should not pay for ``subprocess`` and ``dataclasses``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `from typing import ...`: typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

    from tutor.runner.limits import Limits
    from tutor.runner.sandbox import (
        OUTPUT_CAP,
        RunResult,
        SandboxedProcess,
        run_sandboxed,
        scrubbed_env,
        start_sandboxed,
    )

__all__ = [
    "OUTPUT_CAP",
    "Limits",
    "RunResult",
    "SandboxedProcess",
    "run_sandboxed",
    "scrubbed_env",
    "start_sandboxed",
]


def __getattr__(name: str) -> Any:
    if name == "Limits":
        from tutor.runner.limits import Limits

        return Limits
    if name in __all__:
        from tutor.runner import sandbox

        return getattr(sandbox, name)
    raise AttributeError(f"module 'tutor.runner' has no attribute {name!r}")
