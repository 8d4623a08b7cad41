"""Where an nbgrader course keeps things: one Course object instead of paths spread around."""
import re
import shutil
from functools import lru_cache
from pathlib import Path

from ..errors import UsageError
from .settings import Settings, SettingsError, parse, read_toml

ASSIGNMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# gradekit.toml's own tables (course/config.py); its other tables are assignments' policies
RESERVED = ("queue", "database")
PUBLIC_SUFFIXES = (".py", ".csv", ".txt")
# What a course needs to grade (run-time data such as uploads/ and gradebook.db excluded).
COURSE_PARTS = ("nbgrader_config.py", "gradekit.toml", "source", "release", "graders",
                "reference", "data")


class CourseError(UsageError, ValueError):
    """The course folder or an assignment in it is missing or broken."""


class Course:
    """An nbgrader course root: source/, release/, graders/, reference/, data/."""

    def __init__(self, root="."):
        self.root = Path(root).resolve()

    def copy_to(self, target, parts=COURSE_PARTS) -> "Course":
        """A private copy of the course's gradable parts (demos, tests, benchmarks)."""
        target = Path(target)
        target.mkdir(parents=True, exist_ok=True)
        for part in parts:
            source = self.root / part
            if source.is_dir():
                shutil.copytree(source, target / part,
                                ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
            elif source.exists():
                shutil.copy2(source, target / part)
        return Course(target)

    def assignment(self, name):
        """Check that `name` is a gradable assignment of this course; returns it."""
        if not ASSIGNMENT_NAME.match(name or ""):
            raise CourseError(f"invalid assignment name {name!r}")
        if name in RESERVED:
            raise CourseError(f"no assignment may be named {name!r}: gradekit.toml's [{name}] "
                              "table is the course's own")
        if not (self.graders_dir(name) / "pytest.ini").is_file():
            raise CourseError(f"no graders for assignment {name!r} under {self.root / 'graders'}"
                              " (run gradekit from the course root)")
        return name

    def assignments(self) -> list:
        """The gradable assignments (graders/<A>/pytest.ini), sorted by name."""
        return sorted(p.parent.name for p in (self.root / "graders").glob("*/pytest.ini")
                      if ASSIGNMENT_NAME.match(p.parent.name) and p.parent.name not in RESERVED)

    def graders_dir(self, name):
        return self.root / "graders" / name

    def release_dir(self, name):
        return self.root / "release" / name

    def source_dir(self, name):
        return self.root / "source" / name

    def reference_dir(self, name):
        return self.root / "reference" / name

    def public_files(self, name):
        """Names of the helper files the release ships beside the notebook (never solutions)."""
        return tuple(sorted(self.public_file_texts(name)))

    def settings(self, name) -> Settings:
        """The assignment's own settings (graders/<name>/grading.toml), read once."""
        return _settings(self.graders_dir(name) / "grading.toml")

    def loading_options(self, name):
        """Keyword arguments of submission.load_bytes/load_submission for this assignment."""
        settings = self.settings(name)
        return {"helpers": self.public_files(name), "experiments": settings.experiment_cells,
                "api": settings.api}

    def public_file_texts(self, name):
        """Release helper files as text: the sandbox gets them so notebooks can import/read them."""
        return _texts(self.release_dir(name))


@lru_cache(maxsize=8)
def _texts(folder):
    if not folder.is_dir():
        return {}
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix in PUBLIC_SUFFIXES}


@lru_cache(maxsize=8)
def _settings(path):
    try:
        return parse(read_toml(path), path)
    except SettingsError as exc:
        raise CourseError(str(exc)) from None
