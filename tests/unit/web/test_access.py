"""gradekit web: who may see what, forms need CSRF tokens, sign-in is braked.

These run the app in this process (Starlette's TestClient) with its queue not started: no
grading happens, so each test is fast; attempts simply stay queued.  Grading through the
service is tests/integration/test_web_service.py's.
"""
import re
import time

import pytest
from starlette.testclient import TestClient

from gradekit.course.layout import Course
from gradekit.dispatch.local_queue import LocalQueue
from gradekit.attempts.users import add_user
from gradekit.web import auth
from gradekit.web.app import build_app

pytestmark = pytest.mark.smoke

REFERENCE = "reference/ML06/mlp.py"


@pytest.fixture
def service(course_copy):
    """(app, {user id: token}) for alice, bob (students) and prof (instructor)."""
    course = Course(course_copy)
    tokens = {"alice": add_user(course, "alice"), "bob": add_user(course, "bob"),
              "prof": add_user(course, "prof", role="instructor")}
    return build_app(course, LocalQueue(course, workers=1)), tokens


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def csrf_of(page):
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def signed_in_client(app, token):
    client = TestClient(app, follow_redirects=False)
    answer = client.post("/signin", data={"csrf": csrf_of(client.get("/signin")), "token": token})
    assert answer.status_code == 303
    return client


def upload(client, token, name="mlp.py", data=None, course_root=None):
    data = data if data is not None else (course_root / REFERENCE).read_bytes()
    return client.post("/api/assignments/ML06/attempts", headers=bearer(token),
                       files={"file": (name, data)})


def test_nothing_answers_without_authentication(service):
    app, _ = service
    client = TestClient(app, follow_redirects=False)
    for path in ("/api/assignments/ML06/attempts", "/api/assignments/ML06/attempts/1",
                 "/api/instructor/ML06/grades"):
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers=bearer("gk_not-a-token")).status_code == 401, path
    assert client.post("/api/assignments/ML06/attempts",
                       files={"file": ("a.py", b"x = 1")}).status_code == 401
    for path in ("/", "/assignments", "/assignments/ML06", "/assignments/ML06/attempts/1",
                 "/assignments/ML06/attempts/1/feedback", "/assignments/ML06/attempts/1/file",
                 "/instructor", "/instructor/ML06", "/instructor/ML06/grades.csv"):
        answer = client.get(path)
        assert (answer.status_code, answer.headers.get("location")) == (303, "/signin"), path
    assert client.get("/signin").status_code == 200


def test_private_answers_are_never_cached(service, course_copy):
    app, tokens = service
    alice = signed_in_client(app, tokens["alice"])
    upload(alice, tokens["alice"], course_root=course_copy)
    for path in ("/assignments", "/assignments/ML06", "/assignments/ML06/attempts/1",
                 "/assignments/ML06/attempts/1/file", "/api/assignments/ML06/attempts"):
        answer = alice.get(path, headers=bearer(tokens["alice"]))
        assert answer.status_code == 200, path
        assert answer.headers["cache-control"] == "no-store", path
    assert "no-store" not in alice.get("/static/style.css").headers.get("cache-control", "")


def test_students_see_only_their_own_attempts(service, course_copy):
    app, tokens = service
    client = TestClient(app, follow_redirects=False)
    posted = upload(client, tokens["alice"], course_root=course_copy)
    assert posted.status_code == 202
    assert posted.json() == {"attempt": 1, "status": "queued",
                             "url": "/api/assignments/ML06/attempts/1"}
    mine = client.get("/api/assignments/ML06/attempts/1", headers=bearer(tokens["alice"]))
    assert mine.status_code == 200 and mine.json()["status"] == "queued"
    # bob has no attempt 1: alice's is not his, through the API or any page
    assert client.get("/api/assignments/ML06/attempts/1",
                      headers=bearer(tokens["bob"])).status_code == 404
    assert client.get("/api/assignments/ML06/attempts",
                      headers=bearer(tokens["bob"])).json() == []
    bob = signed_in_client(app, tokens["bob"])
    for path in ("/assignments/ML06/attempts/1", "/assignments/ML06/attempts/1/file",
                 "/assignments/ML06/attempts/1/feedback",
                 "/instructor/ML06/students/alice/attempts/1/file"):
        assert bob.get(path).status_code in (403, 404), path
    assert "mlp.py" not in bob.get("/assignments/ML06").text
    alice = signed_in_client(app, tokens["alice"])
    assert alice.get("/assignments/ML06/attempts/1/file").content == \
        (course_copy / REFERENCE).read_bytes()


def test_students_get_403_on_instructor_paths(service):
    app, tokens = service
    client = TestClient(app, follow_redirects=False)
    assert client.get("/api/instructor/ML06/grades",
                      headers=bearer(tokens["alice"])).status_code == 403
    assert client.get("/api/instructor/ML06/grades",
                      headers=bearer(tokens["prof"])).status_code == 200
    alice = signed_in_client(app, tokens["alice"])
    for path in ("/instructor", "/instructor/ML06", "/instructor/ML06/grades.csv"):
        assert alice.get(path).status_code == 403, path
    assert alice.post("/instructor/ML06/regrade", data={
        "csrf": csrf_of(alice.get("/assignments/ML06")), "all": "1"}).status_code == 403
    prof = signed_in_client(app, tokens["prof"])
    assert prof.get("/instructor/ML06").status_code == 200
    assert prof.get("/instructor/ML06/grades.csv").text.startswith("student,score,max_score")


def test_forms_need_the_session_csrf_token(service, course_copy):
    app, tokens = service
    client = TestClient(app, follow_redirects=False)
    client.get("/signin")
    assert client.post("/signin", data={"token": tokens["alice"]}).status_code == 403
    assert client.post("/signin", data={"token": tokens["alice"], "csrf": "forged"}
                       ).status_code == 403
    alice = signed_in_client(app, tokens["alice"])
    data = (course_copy / REFERENCE).read_bytes()
    assert alice.post("/assignments/ML06/upload", files={"file": ("mlp.py", data)},
                      data={"csrf": "forged"}).status_code == 403
    assert not (course_copy / "uploads" / "alice").exists()   # nothing received
    good = alice.post("/assignments/ML06/upload", files={"file": ("mlp.py", data)},
                      data={"csrf": csrf_of(alice.get("/assignments/ML06"))})
    assert good.status_code == 303
    assert good.headers["location"] == "/assignments/ML06/attempts/1"
    assert alice.post("/signout", data={}).status_code == 403


def test_sign_in_takes_the_same_time_and_brakes_only_wrong_tokens(service, monkeypatch):
    app, tokens = service
    client = TestClient(app, follow_redirects=False)
    csrf = csrf_of(client.get("/signin"))

    def timed(token):
        began = time.monotonic()
        answer = client.post("/signin", data={"csrf": csrf, "token": token})
        return answer.status_code, time.monotonic() - began

    right = timed(tokens["alice"])
    csrf = csrf_of(client.get("/signin"))   # a sign-in starts a new session
    wrong = timed("gk_wrong")
    assert right[0] == 303 and wrong[0] == 401
    assert right[1] >= auth.SIGN_IN_DELAY_S and wrong[1] >= auth.SIGN_IN_DELAY_S
    assert abs(right[1] - wrong[1]) < 0.2
    monkeypatch.setattr(auth, "SIGN_IN_DELAY_S", 0.0)   # the brake, without waiting for it
    codes = [client.post("/signin", data={"csrf": csrf, "token": f"gk_guess{i}"}).status_code
             for i in range(auth.FAILURES_ALLOWED + 2)]
    assert codes[:auth.FAILURES_ALLOWED - 1] == [401] * (auth.FAILURES_ALLOWED - 1)
    assert codes[-1] == 429
    # a classmate behind the same address signs in with a right token all the same
    assert client.post("/signin", data={"csrf": csrf, "token": tokens["alice"]}
                       ).status_code == 303
    api = TestClient(app)
    assert api.get("/api/assignments/ML06/attempts", headers=bearer(tokens["bob"])
                   ).status_code == 200
    wrong = api.get("/api/assignments/ML06/attempts", headers=bearer("gk_guess"))
    assert wrong.status_code == 429 and int(wrong.headers["retry-after"]) > 0


def test_a_new_token_signs_out_the_old_sessions(service, course_copy):
    app, tokens = service
    alice = signed_in_client(app, tokens["alice"])
    assert alice.get("/assignments").status_code == 200
    add_user(Course(course_copy), "alice")   # a new token for alice
    assert alice.get("/assignments").headers.get("location") == "/signin"
    assert TestClient(app).get("/api/assignments/ML06/attempts",
                               headers=bearer(tokens["alice"])).status_code == 401


def test_unknown_assignment_is_404(service):
    app, tokens = service
    client = TestClient(app, follow_redirects=False)
    assert client.post("/api/assignments/NOPE/attempts", headers=bearer(tokens["alice"]),
                       files={"file": ("a.py", b"x = 1")}).status_code == 404
    assert client.get("/api/assignments/../attempts", headers=bearer(tokens["alice"])
                      ).status_code == 404


def test_the_feedback_frame_waits_while_the_plots_are_drawn(service, course_copy):
    """Graded moments ago and no page yet (record.py draws it after the report): 202 and a
    frame that reloads itself; long graded and still no page (its worker was lost): 404."""
    import json
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import update

    from gradekit.attempts import table as attempts
    from gradekit.attempts.database import attempts as table, engine_for
    app, tokens = service
    course = Course(course_copy)
    number = upload(TestClient(app), tokens["alice"], course_root=course_copy).json()["attempt"]
    key = ("ML06", "alice", number)
    report = {"score": 10.0, "max_score": 10.0, "tests": [],
              "upload": {"late_penalty": 0.0, "counts": True}}
    attempts.set_status(course, key, "graded", score=10.0, max_score=10.0,
                        report=json.dumps(report))
    client = signed_in_client(app, tokens["alice"])
    path = f"/assignments/ML06/attempts/{number}/feedback"
    drawing = client.get(path)
    assert drawing.status_code == 202 and drawing.headers["retry-after"] == "1"
    assert "http-equiv='refresh'" in drawing.text and "Drawing your plots" in drawing.text
    page = client.get(f"/assignments/ML06/attempts/{number}").text   # reloads, no frame yet
    assert 'id="drawing"' in page and 'http-equiv="refresh"' in page and "<iframe" not in page
    long_ago = datetime.now(timezone.utc) - timedelta(minutes=10)
    with engine_for(course).begin() as db:
        db.execute(update(table).values(updated=long_ago.isoformat()))
    assert client.get(path).status_code == 404
    page = client.get(f"/assignments/ML06/attempts/{number}").text   # stops reloading
    assert 'id="drawing"' not in page and 'http-equiv="refresh"' not in page
    row = attempts.get(course, *key)
    page = (course.root / row.archive).with_suffix(".html")
    page.write_text("<p>the plots</p>")
    assert client.get(path).status_code == 200 and client.get(path).text == "<p>the plots</p>"
