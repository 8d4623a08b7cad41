"""An assignment's own settings, from graders/<A>/grading.toml; defaults suit one that sets none.

[limits] are the sandbox's time limits in seconds:
    call_s    one call of a student function (a grader may give a longer one, e.g. training)
    load_s    running the submission's cells or statements before the first call
    budget_s  everything one submission may use, load and calls together
"""
import sys
from dataclasses import dataclass, fields

if sys.version_info >= (3, 11):
    import tomllib
else:   # Python 3.10: the same parser, from PyPI
    import tomli as tomllib


class SettingsError(ValueError):
    """grading.toml cannot be read or holds a value of the wrong kind."""


@dataclass(frozen=True)
class Limits:
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
    limits: Limits = Limits()


def read_toml(path):
    """A TOML file as a dict ({} when it does not exist)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: {exc}") from None


def parse(data, where):
    """Settings from grading.toml's dict; unknown keys are errors (a typo must not pass)."""
    limits = dict(data.get("limits", {}))
    known = {f.name for f in fields(Limits)}
    unknown = (set(limits) - known) | (set(data) - {"api", "experiment_cells", "limits"})
    if unknown:
        raise SettingsError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    try:
        return Settings(api=tuple(str(n) for n in data.get("api", ())),
                        experiment_cells=tuple(str(n) for n in data.get("experiment_cells", ())),
                        limits=Limits(**{k: float(v) for k, v in limits.items()}))
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"{where}: {exc}") from None
