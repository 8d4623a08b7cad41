"""The instructor's pages: everyone's counted scores, plots, one student's attempts, CSV
export (the columns of `gradekit export`) and regrading."""
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..attempts.states import Status
from ..attempts import table as attempts
from ..dispatch.jobs import AttemptJob
from ..reports.grades_csv import csv_text, rows as export_rows
from ..attempts.receive import STUDENT_ID
from ..manual import book
from . import charts
from .auth import check_csrf
from .intake import assignment_of
from .render import (attempt_feedback, attempt_file, attempt_view, own_attempt, render,
                     signed_in)
from .views import grades, pass_rates

INSTRUCTOR = "instructor"


def overview(request):
    signed_in(request, INSTRUCTOR)
    course = request.app.state.course
    return render(request, "instructor_home.html", assignments=[
        {"name": a, "grades": grades(course, a)} for a in course.assignments()])


def dashboard(request):
    signed_in(request, INSTRUCTOR)
    course, assignment = request.app.state.course, assignment_of(request)
    table = grades(course, assignment)
    scored = [row for row in table if row["score"] is not None]
    return render(request, "instructor.html", assignment=assignment, table=table,
                  histogram=charts.score_histogram(
                      [row["score"] for row in scored],
                      max((row["max_score"] for row in scored), default=0)),
                  pass_rates=charts.pass_rate_chart(pass_rates(course, assignment)),
                  in_flight=in_flight(course, assignment),
                  manual=book.progress(course, assignment))


def in_flight(course, assignment) -> list:
    """The assignment's attempts received and not yet graded and recorded, oldest first:
    how long each has been in its stage and since it was received, in seconds."""
    return [{"student": row.student, "attempt": row.number, "stage": row.stage,
             "in_stage_s": attempts.seconds_since(row.updated),
             "waited_s": attempts.seconds_since(row.received)}
            for row in attempts.to_grade(course) if row.assignment == assignment]


def grades_csv(request):
    """The gradebook's grades, exactly as `gradekit export` writes them."""
    signed_in(request, INSTRUCTOR)
    assignment = assignment_of(request)
    text = csv_text(export_rows(request.app.state.course, assignment))
    return Response(text, media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="grades-{assignment}.csv"'})


def student_of(request):
    return valid_student(request.path_params["student"])


def valid_student(student):
    """`student` when it is a possible student id; 404 otherwise."""
    if not STUDENT_ID.match(student):
        raise HTTPException(404, "no such student")
    return student


def student_page(request):
    signed_in(request, INSTRUCTOR)
    assignment, student = assignment_of(request), student_of(request)
    rows = attempts.listing(request.app.state.course, assignment, student)
    if not rows:
        raise HTTPException(404, "no attempts of this student")
    return render(request, "instructor_student.html", assignment=assignment, student=student,
                  rows=rows)


def student_attempt(request):
    signed_in(request, INSTRUCTOR)
    return attempt_view(request, own_attempt(request, student_of(request)))


def student_feedback(request):
    return attempt_feedback(request, student_of(request))


def student_file(request):
    return attempt_file(request, student_of(request))


async def regrade(request):
    """Grade one attempt (fields student, attempt) or every graded one (field all) again."""
    signed_in(request, INSTRUCTOR)
    assignment = assignment_of(request)
    form = await request.form(max_files=0, max_fields=8)
    check_csrf(request, form)
    course, queue = request.app.state.course, request.app.state.queue
    if form.get("all"):
        rows = attempts.listing(course, assignment, status=(Status.GRADED, Status.ERROR))
    else:
        row = attempts.get(course, assignment, str(form.get("student", "")),
                           int(form.get("attempt", "0") or 0))
        if row is None or row.status not in (Status.GRADED, Status.ERROR):
            raise HTTPException(404, "no graded attempt to regrade")
        rows = [row]

    def requeue():
        for row in rows:
            if attempts.set_status(course, row.key, Status.QUEUED,
                                   only_from=(Status.GRADED, Status.ERROR)):
                queue.submit(AttemptJob(*row.key, regrade=True))

    await run_in_threadpool(requeue)
    back = form.get("back") or f"/instructor/{assignment}"
    return RedirectResponse(back if str(back).startswith("/instructor/") else "/instructor", 303)


routes = [
    Route("/instructor", overview),
    Route("/instructor/{assignment}", dashboard),
    Route("/instructor/{assignment}/grades.csv", grades_csv),
    Route("/instructor/{assignment}/regrade", regrade, methods=["POST"]),
    Route("/instructor/{assignment}/students/{student}", student_page),
    Route("/instructor/{assignment}/students/{student}/attempts/{number:int}", student_attempt),
    Route("/instructor/{assignment}/students/{student}/attempts/{number:int}/feedback",
          student_feedback),
    Route("/instructor/{assignment}/students/{student}/attempts/{number:int}/file", student_file),
]
