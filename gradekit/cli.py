"""The `gradekit` command: a thin argparse layer over keyword-only main() functions."""
import argparse
import sys
from pathlib import Path

from .errors import EngineBug, Exit, OurFailure, UsageError, crash_log

EXIT_USAGE, EXIT_INTERNAL = Exit.USAGE, Exit.OURS   # importable names of earlier releases


def build_parser():
    parser = argparse.ArgumentParser(prog="gradekit", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    grade = commands.add_parser("grade", help="grade one file without recording anything")
    grade.add_argument("assignment")
    grade.add_argument("path", type=Path)
    grade.add_argument("--json", action="store_true", dest="as_json",
                       help="print exactly one JSON object")

    release = commands.add_parser("release", help="generate and verify release/ASSIGNMENT")
    release.add_argument("assignment")

    upload = commands.add_parser("upload", help="BRUTE-style upload: archive, grade, record")
    upload.add_argument("assignment")
    upload.add_argument("path", type=Path)
    upload.add_argument("--student", required=True, help="the student's id (letters, digits, ._-)")
    upload.add_argument("--json", action="store_true", dest="as_json",
                        help="print exactly one JSON object")

    autograde = commands.add_parser("autograde", help="grade everything in submitted/ in parallel")
    autograde.add_argument("assignment")
    autograde.add_argument("--jobs", type=int, default=None, help="parallel gradings (default: cores)")
    autograde.add_argument("--student", default=None, help="grade only this student")

    export = commands.add_parser("export", help="write the gradebook's grades as CSV")
    export.add_argument("assignment")
    export.add_argument("--to", type=Path, default=None, help="CSV path (default grades-A.csv)")

    audit = commands.add_parser("audit", help="mutation testing of the hidden graders")
    audit.add_argument("assignment")
    audit.add_argument("--json", action="store_true", dest="as_json",
                       help="print exactly one JSON object")
    audit.add_argument("--jobs", type=int, default=None, help="parallel gradings (default: cores)")
    audit.add_argument("--quick", action="store_true", help="every 4th generated mutant only")
    audit.add_argument("--limit", type=int, default=None, help="at most N generated mutants")
    audit.add_argument("--only", action="append", default=None, metavar="ID",
                       help="only this generated mutant (repeatable)")
    audit.add_argument("--strict", action="store_true",
                       help="surviving generated mutants fail the audit too")

    serve = commands.add_parser("serve", help="warm workers for upload/autograde (foreground)")
    serve.add_argument("assignment")
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default: cores)")

    worker = commands.add_parser("worker", help="grade the job queue's jobs on this host "
                                 "(Celery; [queue] broker in gradekit.toml)")
    worker.add_argument("--concurrency", type=int, default=None,
                        help="worker processes (default: cores)")

    web = commands.add_parser("web", help="the course's upload service for students and instructors")
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    web.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    web.add_argument("--workers", type=int, default=None,
                     help="grading worker processes (default: cores)")

    people = commands.add_parser("users", help="the web service's students and instructors")
    people_commands = people.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = people_commands.add_parser("add", help="add a user (or give them a new token)")
    add.add_argument("user_id", metavar="ID")
    add.add_argument("--role", choices=("student", "instructor"), default="student")
    add.add_argument("--name", default="")
    roster = people_commands.add_parser("import", help="add the users of a roster CSV")
    roster.add_argument("roster", type=Path, help="columns id,name,email[,role]")
    roster.add_argument("--to", type=Path, default=None, help="tokens CSV (default tokens.csv)")

    similarity = commands.add_parser("similarity", help="rank pairs of students' counted "
                                     "attempts by how alike they are (nothing is run)")
    similarity.add_argument("assignment")
    similarity.add_argument("--files", nargs="+", type=Path, default=None, metavar="F",
                            help="compare these files instead (.ipynb, .py, .zip; one "
                            "student each, named by the file's stem)")
    similarity.add_argument("--json", action="store_true", dest="as_json",
                            help="print exactly one JSON object")
    similarity.add_argument("--all", action="store_true", dest="all_pairs",
                            help="every pair, not only the top ones (cells and evidence "
                                 "only for the top N and pairs scoring 0.8 or more)")
    similarity.add_argument("--top", type=int, default=20,
                            help="pairs shown, or with --all given evidence (default 20)")

    commands.add_parser("demo", help="release, upload the sample submissions, export grades (demo.toml)")
    commands.add_parser("doctor", help="check that grading works here (sandbox, packages, course)")
    return parser


def dispatch(args):
    """Call the main() of the chosen command with keyword arguments only."""
    if args.command == "grade":
        from .commands.grade import main
        return main(assignment=args.assignment, path=args.path, as_json=args.as_json)
    if args.command == "release":
        from .commands.release import main
        return main(assignment=args.assignment, course_root=Path.cwd())
    if args.command == "upload":
        from .commands.upload import main   # standard library only: a warm server may do it all
        return main(assignment=args.assignment, path=args.path, student=args.student,
                    as_json=args.as_json)
    if args.command == "autograde":
        from .commands.autograde import main
        return main(assignment=args.assignment, jobs=args.jobs, student=args.student)
    if args.command == "export":
        from .commands.export import main
        return main(assignment=args.assignment, to=args.to)
    if args.command == "serve":
        from .commands.serve import main
        return main(assignment=args.assignment, workers=args.workers)
    if args.command == "worker":
        from .commands.worker import main
        return main(concurrency=args.concurrency)
    if args.command == "web":
        from .commands.web import main
        return main(host=args.host, port=args.port, workers=args.workers)
    if args.command == "users" and args.users_command == "add":
        from .commands.users import main_add
        return main_add(user_id=args.user_id, role=args.role, name=args.name)
    if args.command == "users":
        from .commands.users import main_import
        return main_import(roster=args.roster, to=args.to)
    if args.command == "doctor":
        from .commands.doctor import main
        return main(course_root=Path.cwd())
    if args.command == "demo":
        from .commands.demo import main
        return main(course_root=Path.cwd())
    if args.command == "audit":
        from .commands.audit import main
        return main(assignment=args.assignment, course_root=Path.cwd(), as_json=args.as_json,
                    jobs=args.jobs, quick=args.quick, limit=args.limit, only=args.only,
                    strict=args.strict)
    if args.command == "similarity":
        from .commands.similarity import main
        return main(assignment=args.assignment, files=args.files, course_root=Path.cwd(),
                    as_json=args.as_json, all_pairs=args.all_pairs, top=args.top)
    raise AssertionError(args.command)


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return dispatch(args)
    except UsageError as exc:   # bad input or usage (CourseError, Rejected)
        print(f"gradekit: error: {exc}", file=sys.stderr)
        return exc.exit
    except EngineBug as exc:   # a bug of ours met while grading: the tracebacks in a file
        log = crash_log(f"{exc}\n\n{exc.details}")
        print(f"gradekit: internal error: {str(exc).splitlines()[0]} (details in {log})",
              file=sys.stderr)
        return exc.exit
    except OurFailure as exc:   # ours (SandboxError, NotGradedYet): names the fix or what next
        print(f"gradekit: {exc}", file=sys.stderr)
        return exc.exit
    except RuntimeError as exc:   # grading infrastructure (graders, server) failed
        print(f"gradekit: internal error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return Exit.OURS
    except KeyboardInterrupt:
        print("gradekit: interrupted", file=sys.stderr)
        return Exit.INTERRUPTED
    except BrokenPipeError:   # e.g. `gradekit grade ... | head`: the reader left, not an error
        sys.stderr.close()
        return Exit.DONE
    except Exception as exc:   # a bug of ours: one line for the user, the traceback in a file
        log = crash_log()
        print(f"gradekit: internal error: {type(exc).__name__}: {str(exc)[:200]} "
              f"(details in {log})", file=sys.stderr)
        return Exit.OURS


if __name__ == "__main__":
    sys.exit(main())
