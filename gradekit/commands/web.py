"""`gradekit web [--host 127.0.0.1] [--port 8000] [--workers N]`: the course service.

uvicorn serves the Starlette app (gradekit/web/) in this process; the grading workers are
separate processes (dispatch.queue_for), started and warmed in the background.
"""
import sys
from pathlib import Path

from ..course.layout import Course, CourseError
from ..errors import Exit


def main(*, host: str = "127.0.0.1", port: int = 8000, workers: int | None = None,
         course_root: Path = Path(".")) -> int:
    course = Course(course_root)
    if not course.assignments():
        raise CourseError(f"no assignments under {course.root / 'graders'} "
                          "(run gradekit web from the course root)")
    import logging

    import uvicorn
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")

    from ..dispatch import queue_for
    from ..web.app import build_app
    queue = queue_for(course, workers)
    app = build_app(course, queue, secure_cookies=host not in ("127.0.0.1", "localhost", "::1"))
    print(f"gradekit: serving {course.root.name} on http://{host}:{port}/ "
          f"({', '.join(course.assignments())}; grading on {queue.transport} workers)",
          flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    except SystemExit as exc:   # uvicorn exits when it cannot bind the port
        print(f"gradekit: cannot serve on {host}:{port}", file=sys.stderr)
        return int(exc.code or 1)
    return Exit.DONE
