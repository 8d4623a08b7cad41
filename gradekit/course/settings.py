"""An assignment's own settings, from graders/<A>/grading.toml; defaults suit one that sets none.

    api = [...]                 names the graders use: a cell that defines one always runs
    experiment_cells = [...]    grade_ids of cells that only train/plot for the student's eyes
    [limits]                    the sandbox's time limits in seconds:
    call_s = 10                   one call of a student function (graders may allow longer)
    load_s = 60                   running the submission's cells before the first call
    budget_s = 120                everything one submission may use, load and calls together
    [sandbox]
    preload = ["matplotlib.pyplot"]   modules imported before confinement (numpy always is):
                                      warm, shared and read-only for every submission
    [audit]
    wrap_calls = { f = "g({})" }      extra mutation operator: a call of f(...) becomes g(...)

The assignment's other hooks are files beside it: feedback.py (pictures on the feedback page),
audit_probe.py (the battery that tells equivalent mutants), demo.toml (what `gradekit demo`
uploads).
"""
import types
from dataclasses import dataclass, fields
from pathlib import Path

import tomllib


class SettingsError(ValueError):
    """grading.toml cannot be read or holds a value of the wrong kind."""


@dataclass(frozen=True)
class TimeLimits:
    """Time limits of one grading (seconds)."""

    call_s: float = 10.0
    load_s: float = 60.0
    budget_s: float = 120.0

    def sandbox_keywords(self):
        """The Sandbox(...) keywords these limits stand for."""
        return {"call_timeout": self.call_s, "load_timeout": self.load_s,
                "budget_s": self.budget_s}


@dataclass(frozen=True)
class Settings:
    """What the engine needs to know about one assignment."""

    api: tuple = ()                 # names the graders use: a cell defining one always runs
    experiment_cells: tuple = ()    # grade_ids of cells that only train/plot for the student
    limits: TimeLimits = TimeLimits()
    preload: tuple = ()             # modules the sandbox imports before confinement
    wrap_calls: tuple = ()          # ((function, template), ...): extra mutation operators


def read_toml(path):
    """A TOML file as a dict ({} when it does not exist)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: {exc}") from None


KNOWN = {"api": None, "experiment_cells": None, "limits": {f.name for f in fields(TimeLimits)},
         "sandbox": {"preload"}, "audit": {"wrap_calls"}}


def parse(data, where):
    """Settings from grading.toml's dict; unknown keys are errors (a typo must not pass)."""
    unknown = [key for key in data if key not in KNOWN]
    unknown += [f"{table}.{key}" for table, keys in KNOWN.items() if keys
                for key in data.get(table, {}) if key not in keys]
    if unknown:
        raise SettingsError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    names = lambda value: tuple(str(n) for n in value)   # noqa: E731
    try:
        return Settings(
            api=names(data.get("api", ())),
            experiment_cells=names(data.get("experiment_cells", ())),
            limits=TimeLimits(**{k: float(v) for k, v in data.get("limits", {}).items()}),
            preload=names(data.get("sandbox", {}).get("preload", ())),
            wrap_calls=tuple(sorted((str(k), str(v)) for k, v in
                                    data.get("audit", {}).get("wrap_calls", {}).items())))
    except (TypeError, ValueError, AttributeError) as exc:
        raise SettingsError(f"{where}: {exc}") from None


def load_hook(path, name):
    """Run an assignment's hook file as a module named `name` (graders/ is no package, and
    running it by path leaves no __pycache__ beside it)."""
    module = types.ModuleType(name)
    module.__file__ = str(path)
    exec(compile(Path(path).read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    return module
