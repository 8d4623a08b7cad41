"""The grading pages' forms: grade an answer or a group, move an answer out of its group,
edit the rubric, answer a regrade request, publish, switch anonymous mode, import rubrics;
and the student's regrade request.  Each checks the session and its CSRF token, hands the
values to gradekit.manual (KeyError: 404, ValueError: 422) and redirects back to the page.
"""
import json
import math
import re

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse
from starlette.routing import Route

from ..manual import book
from .auth import check_csrf
from .errors import call
from .grading_pages import ANONYMOUS, NOTE, anonymous, question_of, student_of_key
from .instructor import INSTRUCTOR
from .intake import assignment_of
from .render import attempt_view, own_attempt, signed_in

MAX_RUBRICS_BYTES = 1 << 20   # a year's rubrics are a few kilobytes


async def form_of(request, max_fields=200):
    """The instructor's checked form, with the course and the assignment."""
    user = signed_in(request, INSTRUCTOR)
    form = await request.form(max_files=0, max_fields=max_fields)
    check_csrf(request, form)
    return user, form, request.app.state.course, assignment_of(request)


def number(form, name, default=0.0) -> float:
    """A finite number from a form field ("" → `default`); 422 for anything else."""
    text = str(form.get(name, "")).strip().replace(",", ".")
    try:
        value = float(text) if text else default
    except ValueError:
        raise HTTPException(422, f"{name} must be a number, not {text[:20]!r}") from None
    if not math.isfinite(value):
        raise HTTPException(422, f"{name} must be a finite number")
    return value


def back_to(request, key=None):
    """303 to the question's page, on the answer keyed `key` if any (a key is hex digits:
    anything else a form sends is dropped, never put into the Location header)."""
    assignment, qid = request.path_params["assignment"], request.path_params["question"]
    where = f"/instructor/{assignment}/grading/{qid}"
    keep = key and re.fullmatch(r"[0-9a-f]{1,64}", key)
    return RedirectResponse(f"{where}?a={key}" if keep else where, 303)


async def student_of_form(course, assignment, form):
    """(key, student) of the form's answer key; 404 when no student has it."""
    key = str(form.get("a", ""))
    student = await run_in_threadpool(student_of_key, course, assignment, key)
    if student is None:
        raise HTTPException(404, "no such answer (reload the page)")
    return key, student


async def item_ids(course, assignment, qid, given) -> list:
    """The rubric's own ids of the form's item fields; 404 for an item it does not have."""
    current = await call(book.rubric, course, assignment, qid)
    ids = {str(item["id"]): item["id"] for item in current["items"]}
    unknown = [str(i) for i in given if str(i) not in ids]
    if unknown:
        raise HTTPException(404, f"no rubric item {unknown[0][:20]!r} (reload the page)")
    return [ids[str(i)] for i in given]


async def marks(course, assignment, qid, form) -> dict:
    """The rubric items ticked, the adjustment and the comment of a grading form."""
    return {"rubric": await item_ids(course, assignment, qid, form.getlist("item")),
            "adjust": number(form, "adjust"), "comment": str(form.get("comment", ""))}


async def grade_post(request):
    user, form, course, assignment = await form_of(request)
    question = question_of(request)
    key, student = await student_of_form(course, assignment, form)
    score = await call(book.grade, course, assignment, question.id, student,
                       by=user.id, **await marks(course, assignment, question.id, form))
    request.session[NOTE] = f"Saved: {score:g} / {question.max_score:g} points."
    return back_to(request, key)


async def group_post(request):
    """The form's marks for every ungraded answer of the group of the answer in focus (its
    group now: the groups may have changed since the page was drawn)."""
    user, form, course, assignment = await form_of(request)
    question = question_of(request)
    key, student = await student_of_form(course, assignment, form)
    groups = await call(book.groups, course, assignment, question.id)
    group = next((g.number for g in groups if student in g.members), None)
    if group is None:
        raise HTTPException(404, "this answer is in no group (reload the page)")
    graded = await call(book.grade_group, course, assignment, question.id, group,
                        by=user.id, **await marks(course, assignment, question.id, form))
    request.session[NOTE] = f"Graded {graded} ungraded answer{'s' if graded != 1 else ''} " \
                            f"of group {group}."
    return back_to(request, key)


async def move_out_post(request):
    _, form, course, assignment = await form_of(request)
    question = question_of(request)
    key, student = await student_of_form(course, assignment, form)
    await call(book.move_out, course, assignment, question.id, student)
    request.session[NOTE] = "Moved out of its group."
    return back_to(request, key)


async def add_item_post(request):
    _, form, course, assignment = await form_of(request)
    question = question_of(request)
    await call(book.add_item, course, assignment, question.id,
               title=str(form.get("title", "")).strip(), points=number(form, "points"),
               description=str(form.get("description", "")))
    return back_to(request, str(form.get("a", "")) or None)


async def edit_item_post(request):
    """New title and points of an item; every grade using it is rescored."""
    _, form, course, assignment = await form_of(request)
    question = question_of(request)
    item, = await item_ids(course, assignment, question.id, [request.path_params["item"]])
    await call(book.edit_item, course, assignment, question.id, item,
               title=str(form.get("title", "")).strip(), points=number(form, "points"))
    request.session[NOTE] = "Rubric item changed: every grade using it is rescored."
    return back_to(request, str(form.get("a", "")) or None)


async def scoring_post(request):
    _, form, course, assignment = await form_of(request)
    question = question_of(request)
    await call(book.set_scoring, course, assignment, question.id, str(form.get("scoring", "")))
    return back_to(request, str(form.get("a", "")) or None)


async def reply_post(request):
    user, form, course, assignment = await form_of(request)
    question = question_of(request)
    key, student = await student_of_form(course, assignment, form)
    await call(book.answer_regrade, course, assignment, question.id, student,
               reply=str(form.get("reply", "")), by=user.id)
    request.session[NOTE] = "Regrade request answered."
    return back_to(request, key)


async def publish_post(request):
    """Publish one question (field question) or all of them."""
    _, form, course, assignment = await form_of(request)
    qid = str(form.get("question", ""))
    await call(book.publish, course, assignment, [qid] if qid else None)
    request.session[NOTE] = f"Published {qid}." if qid else "Published every question."
    return RedirectResponse(f"/instructor/{assignment}/grading", 303)


async def anonymous_post(request):
    """Anonymous grading on or off for this session; back to the page the form was on."""
    _, form, _, assignment = await form_of(request)
    request.session[ANONYMOUS] = not anonymous(request)
    back = str(form.get("back", ""))
    home = f"/instructor/{assignment}/grading"
    return RedirectResponse(back if back.startswith(home) else home, 303)


async def import_post(request):
    """Rubrics from a JSON file exported by this page (this or another course, another year)."""
    user = signed_in(request, INSTRUCTOR)
    course, assignment = request.app.state.course, assignment_of(request)
    async with request.form(max_files=1, max_fields=4) as form:
        check_csrf(request, form)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(400, "choose a rubrics JSON file")
        data = await upload.read(MAX_RUBRICS_BYTES + 1)
    if len(data) > MAX_RUBRICS_BYTES:
        raise HTTPException(413, "a rubrics file is at most 1 MB")
    try:
        rubrics = json.loads(data)
    except ValueError:
        raise HTTPException(422, "the file is not JSON") from None
    await call(book.import_rubrics, course, assignment, rubrics)
    request.session[NOTE] = f"Rubrics imported by {user.id}."
    return RedirectResponse(f"/instructor/{assignment}/grading", 303)


async def regrade_request_post(request):
    """A student asks for one question of their counted attempt to be looked at again; a
    second request while one is open is answered 409 on the attempt page."""
    user = signed_in(request)
    course, assignment = request.app.state.course, assignment_of(request)
    form = await request.form(max_files=0, max_fields=4)
    check_csrf(request, form)
    row = await run_in_threadpool(own_attempt, request)
    try:
        await call(book.file_regrade, course, assignment, str(form.get("question", "")),
                   user.id, str(form.get("text", "")))
    except book.AlreadyOpen as refused:
        return await run_in_threadpool(attempt_view, request, row, str(refused), 409)
    except HTTPException as refused:
        if refused.status_code != 422:
            raise
        return await run_in_threadpool(attempt_view, request, row, refused.detail, 422)
    return RedirectResponse(f"/assignments/{assignment}/attempts/{row.number}#manual", 303)


Q = "/instructor/{assignment}/grading/{question}"
routes = [
    Route("/instructor/{assignment}/grading/publish", publish_post, methods=["POST"]),
    Route("/instructor/{assignment}/grading/anonymous", anonymous_post, methods=["POST"]),
    Route("/instructor/{assignment}/grading/rubrics", import_post, methods=["POST"]),
    Route(f"{Q}/grade", grade_post, methods=["POST"]),
    Route(f"{Q}/group", group_post, methods=["POST"]),
    Route(f"{Q}/move-out", move_out_post, methods=["POST"]),
    Route(f"{Q}/items", add_item_post, methods=["POST"]),
    Route(f"{Q}/items/{{item}}", edit_item_post, methods=["POST"]),
    Route(f"{Q}/scoring", scoring_post, methods=["POST"]),
    Route(f"{Q}/reply", reply_post, methods=["POST"]),
    Route("/assignments/{assignment}/attempts/{number:int}/regrade-request",
          regrade_request_post, methods=["POST"]),
]
