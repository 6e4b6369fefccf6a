"""One way to make a HiGHS solver that prints nothing: HiGHS writes its banner on the
process's standard output (file descriptor 1) when a solver is made, before any option can
silence it, which would spoil the commands' `--json` output (`access-siting`, `darp-solve`).
No Django here: the dial-a-ride engine and the siting solver both use it.

highspy (and numpy with it) is imported on the first solver (`highspy_module`), not with this
module: the siting pages import the siting solver with the URL configuration."""

from __future__ import annotations

import os
import sys
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import highspy


@cache
def highspy_module() -> ModuleType:
    """highspy, imported once, when a model is first built (its constants: `HighsVarType`…)."""
    import highspy

    return highspy


def silent_highs() -> highspy.Highs:
    """A new HiGHS solver, made with file descriptor 1 pointed at /dev/null, then silenced."""
    highspy = highspy_module()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highs = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    highs.silent()
    highs.setOptionValue("output_flag", False)
    return highs
