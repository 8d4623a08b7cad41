"""Which Python the sandbox runs: exactly the grading process's own environment.

A virtualenv (venv, virtualenv, pipx, uv) is only itself when its interpreter is started by
the path inside the environment: Python finds pyvenv.cfg next to that path, not next to the
base interpreter the symlink resolves to.  So the sandbox starts `sys.executable` as it is,
and shows (read-only) every folder that interpreter reads modules from.
"""
import os
import sys
import sysconfig
from pathlib import Path

SITE_FOLDERS = ("site-packages", "dist-packages")


def executable():
    """The interpreter path the sandbox starts (unresolved, so pyvenv.cfg is honoured)."""
    return os.path.abspath(sys.executable)


def _candidates():
    here = Path(executable())
    yield from (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)
    yield str(here.parent.parent)                    # <env>/bin/python -> <env>
    yield str(here.resolve().parent.parent)          # the base interpreter's installation
    paths = sysconfig.get_paths()
    yield from (paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib"))
    # site folders that .pth files or a --system-site-packages venv put on sys.path; only
    # folders named like site-packages, so an editable install's project folder (which
    # may hold a course's reference solution) is never shown to student code
    yield from (p for p in sys.path if p and Path(p).name in SITE_FOLDERS)


def roots():
    """Folders the interpreter and its packages live in: outermost only, each as seen and
    resolved (a symlinked venv folder must exist at both paths inside the sandbox)."""
    found = set()
    for candidate in _candidates():
        if candidate and os.path.isdir(candidate) and os.path.realpath(candidate) != "/":
            found.add(os.path.abspath(candidate))
            found.add(os.path.realpath(candidate))
    return sorted(r for r in found if not any(r != o and r.startswith(o + "/") for o in found))


def under_tmp():
    """Roots inside /tmp: a private /tmp would hide them, so they are bound again over it."""
    return [r for r in roots() if r == "/tmp" or r.startswith("/tmp/")]


def hidden_from_others(extra=()):
    """{folder others cannot enter: [roots below it]} for the roots and `extra` folders.

    The fallback level runs student code under a throwaway uid that sees the host's file
    modes: a virtualenv under a 0700 home folder would be invisible to it.  The sandbox then
    lays a fresh folder over each such one and binds back only what it must see (bubblewrap
    shows folders through its own mounts, so it is not affected).
    """
    hidden = {}
    for root in [*roots(), *map(str, extra)]:
        for folder in [*reversed(Path(root).parents), Path(root)]:
            if not os.stat(folder).st_mode & 0o001:
                hidden.setdefault(str(folder), []).append(root)
                break
    return hidden
