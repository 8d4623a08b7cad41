"""An upload's way in, the same for the API and the upload form: read the multipart field,
receive it (archive, log, policy: upload.receive) and hand its grading to the queue."""
from pathlib import PurePosixPath

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from ..course.layout import CourseError
from ..dispatch.jobs import AttemptJob
from ..attempts.receive import receive


def assignment_of(request) -> str:
    """The path's assignment, 404 when the course has no such assignment."""
    name = request.path_params["assignment"]
    course = request.app.state.course
    try:
        course.assignment(name)
    except CourseError:
        raise HTTPException(404, f"no assignment {name!r}") from None
    return name


def upload_form(request):
    """The parsed multipart form, to use as `async with upload_form(request) as form:` (which
    closes the parser's spooled temporary file, whatever happens)."""
    return request.form(max_files=1, max_fields=8)


async def read_upload(form):
    """(file name, bytes) of the multipart field "file"; 400 when there is none."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(400, "send the file as the multipart field 'file'")
    data = await upload.read()
    # a browser may send a path; only its last part names the file
    name = PurePosixPath((upload.filename or "upload").replace("\\", "/")).name or "upload"
    return name, data


async def submit_upload(request, assignment, student, filename, data):
    """Receive the upload (archived and logged before this returns) and queue its grading."""
    course, queue = request.app.state.course, request.app.state.queue
    received = await run_in_threadpool(receive, course, assignment, student, filename, data)
    if received.outcome is None:
        await run_in_threadpool(queue.submit, AttemptJob(assignment, student, received.number))
    return received
