"""gradekit web's grading by question: only instructors see and post, forms need CSRF,
answers are anonymous until names are turned on, a hostile answer is shown as text, the
rubric is edited and applied from the page, a group is graded at once, and the student sees
pending points, then the published feedback, and may file one regrade request at a time.

In this process (TestClient) with the queue not started: each attempt is received as every
upload is and marked graded and counted directly (no grading runs; its report is minimal).
"""
import json
import re

import pytest
from starlette.testclient import TestClient

from gradekit.attempts import table as attempts
from gradekit.attempts.receive import receive
from gradekit.attempts.states import Status
from gradekit.attempts.users import add_user
from gradekit.course.layout import Course
from gradekit.dispatch.local_queue import LocalQueue
from gradekit.web.app import build_app
from gradekit.web.grading_pages import student_key
from tests.unit.web.test_access import csrf_of, signed_in_client

pytestmark = pytest.mark.smoke
A, Q = "ML06", "task3_architecture"
HOSTILE = '</pre><script>alert("pwned")</script><img src=x onerror=alert(1)>'
PAGE = f"/instructor/{A}/grading/{Q}"
REPORT = {"score": 0.0, "max_score": 10.0, "tests": [], "upload": {"counts": True}}


def answered(course, answers) -> bytes:
    """The release notebook with the manual answer cells {grade_id: text} filled in."""
    nb = json.loads((course.root / "release" / A / f"{A}.ipynb").read_text())
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return json.dumps(nb).encode()


def counted(course, student, answer):
    """`student`'s upload with `answer` to task 3, graded (minimal report) and counted."""
    received = receive(course, A, student, "ML06.ipynb", answered(course, {Q: answer}))
    assert received.outcome is None, received.outcome
    attempts.set_status(course, (A, student, received.number), Status.GRADED, score=0.0,
                        max_score=10.0, counts=True, recorded=True, report=json.dumps(REPORT))


@pytest.fixture
def site(course_copy):
    """(app, course, {user: token}): ann and ben answer alike, cyd with hostile HTML, dan
    blank; prof is the instructor."""
    course = Course(course_copy)
    tokens = {s: add_user(course, s) for s in ("ann", "ben", "cyd", "dan")}
    tokens["prof"] = add_user(course, "prof", role="instructor")
    for student, answer in (("ann", "Two hidden units with a sigmoid, one output."),
                            ("ben", "two hidden units with sigmoid and one output"),
                            ("cyd", HOSTILE), ("dan", "")):
        counted(course, student, answer)
    return build_app(course, LocalQueue(course, workers=1)), course, tokens


def post(client, path, page, **fields):
    return client.post(path, data=dict(fields, csrf=csrf_of(page)))


def test_students_and_forged_forms_are_refused(site):
    app, course, tokens = site
    ann = signed_in_client(app, tokens["ann"])
    for path in (f"/instructor/{A}/grading", PAGE, f"/instructor/{A}/grading/rubrics.json"):
        assert ann.get(path).status_code == 403, path
    own = ann.get(f"/assignments/{A}/attempts/1")
    for path in (f"{PAGE}/grade", f"{PAGE}/items", f"/instructor/{A}/grading/publish"):
        assert post(ann, path, own, title="x", points="1").status_code == 403, path
    prof = signed_in_client(app, tokens["prof"])
    assert prof.post(f"{PAGE}/items", data={"title": "x", "points": "1"}).status_code == 403
    plot = prof.get(f"/instructor/{A}/grading/task08_plot")   # a task: pictures, no text
    assert plot.status_code == 200 and 'id="pictures"' in plot.text
    assert prof.get(f"/instructor/{A}/grading/no_such_question").status_code == 404
    assert prof.post(f"{PAGE}/grade", data={"csrf": csrf_of(prof.get(PAGE)),
                                            "a": "0" * 16}).status_code == 404


def test_grading_anonymously_from_the_page(site):
    app, course, tokens = site
    prof = signed_in_client(app, tokens["prof"])
    page = prof.get(PAGE)
    assert page.status_code == 200
    for student in ("ann", "ben", "cyd", "dan"):   # anonymous: no id anywhere in the page
        assert not re.search(rf"\b{student}\b", page.text), student
    assert "Student 4" in page.text and "Student 5" not in page.text
    assert post(prof, f"{PAGE}/items", page, title="wrong number of hidden units",
                points="-0.25").status_code == 303
    page = prof.get(PAGE)
    item = re.search(r'name="item" value="([^"]+)"', page.text).group(1)
    assert 'data-shortcut="1"' in page.text and "wrong number of hidden units" in page.text

    cyd = student_key(course, A, "cyd")
    shown = prof.get(f"{PAGE}?a={cyd}")
    assert "<script>alert" not in shown.text and "&lt;script&gt;alert" in shown.text
    saved = post(prof, f"{PAGE}/grade", shown, a=cyd, item=item, adjust="0.1",
                 comment="<b>see the lecture</b>")
    assert (saved.status_code, saved.headers["location"]) == (303, f"{PAGE}?a={cyd}")
    shown = prof.get(saved.headers["location"])
    assert "Saved: 0.35 / 0.5 points." in shown.text
    assert re.search(r'id="focus-score">0.35 / 0.5<', shown.text)
    assert "&lt;b&gt;see the lecture&lt;/b&gt;" in shown.text

    # names on: ids appear, for this session only
    toggled = post(prof, f"/instructor/{A}/grading/anonymous", shown, back=f"{PAGE}?a={cyd}")
    assert toggled.headers["location"] == f"{PAGE}?a={cyd}"
    named = prof.get(toggled.headers["location"])
    assert "(cyd)" in named.text and "(ann)" in named.text
    other = signed_in_client(app, tokens["prof"])
    assert "(cyd)" not in other.get(PAGE).text


def test_group_grading_publishing_and_the_students_feedback(site):
    app, course, tokens = site
    prof, ann = signed_in_client(app, tokens["prof"]), signed_in_client(app, tokens["ann"])
    attempt = f"/assignments/{A}/attempts/1"
    assert "Manual points pending" in ann.get(attempt).text
    page = prof.get(PAGE)
    post(prof, f"{PAGE}/items", page, title="names the hidden layer", points="0")
    page = prof.get(f"{PAGE}?a={student_key(course, A, 'ann')}")
    item = re.search(r'name="item" value="([^"]+)"', page.text).group(1)
    done = post(prof, f"{PAGE}/group", page, a=student_key(course, A, "ann"), item=item,
                comment="good")
    assert done.status_code == 303
    assert "Graded 2 ungraded answers of group" in prof.get(PAGE).text   # ann and ben
    assert "Graded by hand" not in ann.get(attempt).text   # not published yet
    dashboard = prof.get(f"/instructor/{A}").text
    assert 'id="manual-progress"' in dashboard
    assert re.search(r'class="manual">0.5 / 5<', dashboard)   # ann's: 0.5 of ML06's 5 manual points

    questions = prof.get(f"/instructor/{A}/grading")
    assert Q in questions.text and 'class="progress"' in questions.text
    assert post(prof, f"/instructor/{A}/grading/publish", questions,
                question=Q).status_code == 303
    seen = ann.get(attempt)
    assert "Graded by hand" in seen.text and "names the hidden layer" in seen.text
    assert re.search(r'class="manual-score">0.5 / 0.5<', seen.text)

    filed = post(ann, f"{attempt}/regrade-request", seen, question=Q, text="please look")
    assert filed.status_code == 303
    again = post(ann, f"{attempt}/regrade-request", ann.get(attempt), question=Q, text="again")
    assert again.status_code == 409 and 'id="manual-notice"' in again.text
    key = student_key(course, A, "ann")
    shown = prof.get(f"{PAGE}?a={key}")
    assert "please look" in shown.text
    assert post(prof, f"{PAGE}/reply", shown, a=key, reply="checked: fine").status_code == 303
    assert "checked: fine" in ann.get(attempt).text

    moved = post(prof, f"{PAGE}/move-out", shown, a=key)
    assert "Moved out of its group." in prof.get(moved.headers["location"]).text

    exported = prof.get(f"/instructor/{A}/grading/rubrics.json")
    assert exported.status_code == 200
    assert "names the hidden layer" in json.dumps(exported.json())
    token = csrf_of(questions)
    for data, status in ((exported.content, 303), (b"{not json", 422),
                         (b'{"questions": {"no_such_question": {}}}', 422)):
        answer = prof.post(f"/instructor/{A}/grading/rubrics", data={"csrf": token},
                           files={"file": ("rubrics.json", data)})
        assert answer.status_code == status, answer.text
