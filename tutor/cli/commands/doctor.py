"""``tutor doctor [--json]``: which isolation layers grading has on this machine, and why not
the others.

It does not guess from kernel versions: it starts one real sandboxed run (``python -c pass``)
and reports what the kernel granted it, layer by layer (docs/sandbox.md says what each stops).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys

from tutor.cli.context import Context, print_json

NAME = "doctor"
HELP = "show which isolation layers grading has here, and why not the others"
ORDER = 85


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")


def report() -> dict:
    """The doctor's findings as plain data (``doctor --json``)."""
    from tutor.runner.isolation import REQUIRED, layers, probe
    from tutor.runner.landlock import abi_version

    info = probe()
    found = [
        {"layer": name, "active": active, "required": name in REQUIRED, "detail": detail}
        for name, active, detail in layers(info)
    ]
    missing = [f"{f['layer']}: {f['detail']}" for f in found if f["required"] and not f["active"]]
    return {
        "complete": not missing and "probe_error" not in info,
        "missing": missing,
        "layers": found,
        "probe_error": info.get("probe_error"),
        "system": {
            "platform": sys.platform,
            "kernel": platform.release(),
            "python": platform.python_version(),
            "user": "root" if os.getuid() == 0 else f"uid {os.getuid()}",
            "landlock_abi": abi_version(),
        },
    }


def run(args: argparse.Namespace, ctx: Context) -> int:
    data = report()
    if args.json:
        print_json(data)
        return 0
    system = data["system"]
    print(
        f"Grading isolation on {system['platform']} {system['kernel']}, Python "
        f"{system['python']}, as {system['user']}:"
    )
    width = max(len(layer["layer"]) for layer in data["layers"])
    for layer in data["layers"]:
        mark = "yes" if layer["active"] else ("NO " if layer["required"] else "no ")
        print(f"  {mark}  {layer['layer']:<{width}}  {layer['detail']}")
    if data["probe_error"]:
        print(f"\nThe test run failed: {data['probe_error']}")
    if data["complete"]:
        print("\nEvery layer is in force (the cgroup is an extra: see docs/sandbox.md).")
    else:
        print(
            f"\n{len(data['missing'])} layer(s) missing: grading still works with the others; "
            "`check --require-isolation` refuses to grade here."
        )
    return 0
