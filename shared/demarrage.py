"""A Lambda's cold start: Python's cyclic garbage collector paused while the function's
module is imported and its first event handled, then everything alive frozen.

A cold start allocates a few hundred thousand objects that live as long as the function
(modules, classes, models, clients: the first call builds most of them); the collector
would traverse them again and again for nothing: about 12 % of a cold start, measured in
instructions (benchmarks/bench_imports.py). Frozen (gc.freeze), they are never traversed
again, at warm invocations either; the collector then runs as usual. What the first call
left unreachable in cycles is frozen with them, never freed: measured, a maximal
simulation with the collector off leaves 33 such objects, a few kilobytes.

Only on Lambda (AWS_LAMBDA_FUNCTION_NAME is set by its runtime): tests, the command line
and the local runtime keep the collector untouched.
"""

from __future__ import annotations

import gc
import os

_suspendu = False


def suspendre() -> None:
    """First statement of a Lambda's entry module (services/__init__.py, infra/app.py)."""
    global _suspendu
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME") and gc.isenabled():
        gc.disable()
        _suspendu = True


def reprendre() -> None:
    """After an invocation (the first one does the work): freeze what lives, re-enable.
    Not before the first call: its clients and models are most of what a cold start
    allocates (the collector on during it costs 7 % of the cold start)."""
    global _suspendu
    if _suspendu:
        _suspendu = False
        gc.freeze()
        gc.enable()
