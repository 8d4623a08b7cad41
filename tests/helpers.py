"""What several test modules do alike: run the `gradekit` command as users do, build zips."""
import io
import stat
import subprocess
import sys
import zipfile


def gradekit(course, *args, timeout=600):
    """Run `gradekit ARGS` (as `python -m gradekit.cli`, so this interpreter's gradekit) in the
    course folder; returns the CompletedProcess with text stdout/stderr.  The timeout turns a
    hang into a failure rather than a stuck suite."""
    return subprocess.run([sys.executable, "-m", "gradekit.cli", *map(str, args)], cwd=course,
                          capture_output=True, text=True, timeout=timeout)


def zipped(members, compress=zipfile.ZIP_STORED, symlink=None, link_target="/etc/passwd"):
    """The bytes of a zip holding `members` ({name: str or bytes}), plus, with `symlink`, a
    member of that name that is a symbolic link to `link_target` (what uploads must refuse)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, link_target)
    return buffer.getvalue()
