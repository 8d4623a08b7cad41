"""The instructor's similarity pages: the ranked pairs of an assignment's counted attempts
with a histogram of every pair's score and the clusters, two students' notebooks side by
side, and pairs flagged for follow-up.  Instructors only (students 403, like every page
under /instructor); nothing a student uploaded is run.
"""
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse
from starlette.routing import Route

from ..attempts import pair_flags
from ..similarity import CLUSTER_SCORE
from .aligned import two_notebooks
from .auth import check_csrf
from .comparisons import LISTED
from .instructor import INSTRUCTOR, valid_student
from .intake import assignment_of
from .render import render, signed_in


def short_evidence(sentences):
    """The sentence that says where the strongest shared passage is, else the first."""
    return next((s for s in sentences if " matches " in s), sentences[0] if sentences else "")


async def class_view(request, assignment):
    """The assignment's ClassView, computed in a worker thread when it is not current."""
    return await run_in_threadpool(request.app.state.comparisons.view,
                                   request.app.state.course, assignment)


def pair_rows(view, pairs, flags):
    return [{"a": a, "b": b, "score": view.score(a, b), "rank": view.rank(a, b),
             "flag": flags.get((a, b)),
             "evidence": short_evidence(view.evidence(a, b))
             if view.score(a, b) is not None else ""} for a, b in pairs]


async def similarity_page(request):
    signed_in(request, INSTRUCTOR)
    course, assignment = request.app.state.course, assignment_of(request)
    view = await class_view(request, assignment)
    flags = await run_in_threadpool(pair_flags.flags, course, assignment)
    listed = [(a, b) for _, a, b in view.ranked[:LISTED]]
    listed += sorted(set(flags) - set(listed), key=lambda p: -(view.score(*p) or 0))
    rows = await run_in_threadpool(pair_rows, view, listed, flags)
    return render(request, "similarity.html", assignment=assignment, rows=rows,
                  students=len(view.comparison.ids), pairs=len(view.ranked),
                  histogram=view.histogram, spread=view.spread, clusters=view.clusters,
                  threshold=CLUSTER_SCORE, unreadable=view.loaded.unreadable,
                  back=request.url.path)


def pair_of(request, view):
    """Students a and b of the path, both with a compared counted attempt; else 404."""
    a, b = valid_student(request.path_params["a"]), valid_student(request.path_params["b"])
    if view.score(a, b) is None:
        raise HTTPException(404, "no counted attempts of these two students to compare")
    return a, b


async def pair_page(request):
    signed_in(request, INSTRUCTOR)
    course, assignment = request.app.state.course, assignment_of(request)
    view = await class_view(request, assignment)
    a, b = pair_of(request, view)
    passages, rows = await run_in_threadpool(two_notebooks, course, assignment, view, a, b)
    flags = await run_in_threadpool(pair_flags.flags, course, assignment)
    return render(request, "similarity_pair.html", assignment=assignment, a=a, b=b,
                  score=view.score(a, b), evidence=view.evidence(a, b), passages=passages,
                  rows=rows, flag=flags.get(pair_flags.ordered(a, b)), back=request.url.path)


async def flag_post(request):
    """Flag (field action=flag, with an optional note) or unflag pair (a, b)."""
    user = signed_in(request, INSTRUCTOR)
    course, assignment = request.app.state.course, assignment_of(request)
    form = await request.form(max_files=0, max_fields=8)
    check_csrf(request, form)
    a, b = valid_student(str(form.get("a", ""))), valid_student(str(form.get("b", "")))
    if a == b:
        raise HTTPException(400, "a pair is two different students")
    if form.get("action") == "unflag":
        await run_in_threadpool(pair_flags.unflag, course, assignment, a, b)
    else:
        await run_in_threadpool(pair_flags.flag, course, assignment, a, b, user.id,
                                str(form.get("note", "")))
    back = str(form.get("back") or "")
    home = f"/instructor/{assignment}/similarity"
    return RedirectResponse(back if back.startswith(home) else home, 303)


routes = [
    Route("/instructor/{assignment}/similarity", similarity_page),
    Route("/instructor/{assignment}/similarity/flags", flag_post, methods=["POST"]),
    Route("/instructor/{assignment}/similarity/{a}/{b}", pair_page),
]
