"""The JSON API of human grading (pinned in docs/interfaces.md; the rubric export, group
moves and regrade replies are not pinned).

Instructor calls answer 403 to anyone else, checked before anything about the request; then
404 for an unknown assignment, question, student, rubric item or group, 422 for a bad body.
A student files one regrade request per question at a time (409 while one is open).
"""
import json

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..manual import book
from .auth import bearer_user
from .errors import call
from .instructor import valid_student
from .intake import assignment_of

INSTRUCTOR = "/api/instructor/{assignment}"
QUESTION = INSTRUCTOR + "/questions/{question}"


def instructor(request):
    """(assignment, question or None) of an instructor's call; 401, 403, 404 otherwise."""
    if bearer_user(request).role != "instructor":
        raise HTTPException(403, "instructors only")
    return assignment_of(request), request.path_params.get("question")


async def body(request, allowed) -> dict:
    """The request's JSON object (an empty body: {}); 422 when it is not one or has other
    fields than `allowed`."""
    raw = await request.body()
    try:
        data = json.loads(raw) if raw.strip() else {}
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(422, "the body must be JSON") from None
    if not isinstance(data, dict):
        raise HTTPException(422, "the body must be a JSON object")
    extra = sorted(set(data) - set(allowed))
    if extra:
        raise HTTPException(422, f"unknown field {extra[0]!r}")
    return data


def required(data, field):
    if field not in data:
        raise HTTPException(422, f"missing field {field!r}")
    return data[field]


async def list_questions(request):
    assignment, _ = instructor(request)
    return JSONResponse(await call(book.question_rows, request.app.state.course, assignment))


async def list_answers(request):
    assignment, qid = instructor(request)
    anonymous = request.query_params.get("anonymous", "") not in ("", "0", "false")
    return JSONResponse(await call(book.answer_rows, request.app.state.course, assignment,
                                   qid, names=not anonymous))


async def add_item(request):
    assignment, qid = instructor(request)
    data = await body(request, ("title", "points", "description"))
    item = await call(book.add_item, request.app.state.course, assignment, qid,
                      title=required(data, "title"), points=required(data, "points"),
                      description=data.get("description", ""))
    return JSONResponse(item, 201)


async def edit_item(request):
    assignment, qid = instructor(request)
    data = await body(request, ("title", "points", "description", "position"))
    return JSONResponse(await call(book.edit_item, request.app.state.course, assignment, qid,
                                   request.path_params["item"], **data))


async def set_scoring(request):
    assignment, qid = instructor(request)
    data = await body(request, ("scoring",))
    course = request.app.state.course
    await call(book.set_scoring, course, assignment, qid, required(data, "scoring"))
    return JSONResponse(await call(book.rubric, course, assignment, qid))


def _grading(data):
    return {"rubric": required(data, "rubric"), "adjust": data.get("adjust", 0.0),
            "comment": data.get("comment", "")}


async def put_grade(request):
    assignment, qid = instructor(request)
    student = valid_student(request.path_params["student"])
    data = await body(request, ("rubric", "adjust", "comment"))
    given = await call(book.grade, request.app.state.course, assignment, qid, student,
                       by=bearer_user(request).id, **_grading(data))
    return JSONResponse({"score": given})


async def grade_group(request):
    assignment, qid = instructor(request)
    data = await body(request, ("rubric", "adjust", "comment"))
    graded = await call(book.grade_group, request.app.state.course, assignment, qid,
                        request.path_params["group"], by=bearer_user(request).id,
                        **_grading(data))
    return JSONResponse({"graded": graded})


async def move_out(request):
    assignment, qid = instructor(request)
    student = valid_student(request.path_params["student"])
    await call(book.move_out, request.app.state.course, assignment, qid, student)
    return JSONResponse({"moved": student})


async def publish(request):
    assignment, _ = instructor(request)
    chosen = (await body(request, ("questions",))).get("questions")
    if chosen is not None and not (isinstance(chosen, list) and
                                   all(isinstance(q, str) for q in chosen)):
        raise HTTPException(422, "questions must be a list of question ids")
    await call(book.publish, request.app.state.course, assignment, chosen)
    return JSONResponse(await call(book.question_rows, request.app.state.course, assignment))


async def rubrics(request):
    assignment, _ = instructor(request)
    course = request.app.state.course
    if request.method == "PUT":
        data = await body(request, ("assignment", "questions"))
        await call(book.import_rubrics, course, assignment, data)
    return JSONResponse(await call(book.export_rubrics, course, assignment))


async def list_regrades(request):
    assignment, _ = instructor(request)
    return JSONResponse(await call(book.regrades, request.app.state.course, assignment,
                                   request.query_params.get("question")))


async def reply_regrade(request):
    assignment, qid = instructor(request)
    student = valid_student(request.path_params["student"])
    data = await body(request, ("reply",))
    return JSONResponse(await call(book.answer_regrade, request.app.state.course, assignment,
                                   qid, student, reply=required(data, "reply"),
                                   by=bearer_user(request).id))


async def file_regrade(request):
    """A student's regrade request for one question of their published feedback."""
    user = bearer_user(request)
    assignment = assignment_of(request)
    data = await body(request, ("question", "text"))
    qid = required(data, "question")
    if not isinstance(qid, str):
        raise HTTPException(422, "question must be a question id")
    try:
        filed = await call(book.file_regrade, request.app.state.course, assignment, qid,
                           user.id, required(data, "text"))
    except book.AlreadyOpen as exc:
        raise HTTPException(409, str(exc)) from None
    return JSONResponse(filed, 201)


routes = [
    Route(INSTRUCTOR + "/questions", list_questions),
    Route(QUESTION + "/answers", list_answers),
    Route(QUESTION + "/rubric", add_item, methods=["POST"]),
    Route(QUESTION + "/rubric/{item:int}", edit_item, methods=["PATCH"]),
    Route(QUESTION, set_scoring, methods=["PATCH"]),
    Route(QUESTION + "/grades/{student}", put_grade, methods=["PUT"]),
    Route(QUESTION + "/groups/{group:int}/grade", grade_group, methods=["POST"]),
    Route(QUESTION + "/answers/{student}/move-out", move_out, methods=["POST"]),
    Route(QUESTION + "/regrade-requests/{student}", reply_regrade, methods=["PUT"]),
    Route(INSTRUCTOR + "/publish", publish, methods=["POST"]),
    Route(INSTRUCTOR + "/rubrics", rubrics, methods=["GET", "PUT"]),
    Route(INSTRUCTOR + "/regrade-requests", list_regrades),
    Route("/api/assignments/{assignment}/regrade-requests", file_regrade, methods=["POST"]),
]
