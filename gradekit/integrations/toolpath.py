"""The tools our libraries start by name come from this environment, activated or not."""
import os
import sysconfig


def scripts_on_path():
    """Put this environment's scripts folder first on PATH (once).

    nbgrader's Gradebook starts `alembic` by name when it creates a database: from a
    virtualenv that was never activated (a service, a cron job, /opt/venv/bin/gradekit) it
    would otherwise not be found, or an unrelated one would run.
    """
    scripts = sysconfig.get_paths()["scripts"]
    path = os.environ.get("PATH", "")
    if path.split(os.pathsep)[0] != scripts:
        os.environ["PATH"] = os.pathsep.join([scripts, path]) if path else scripts
