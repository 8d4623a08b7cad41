"""Human grading through the running service: rubric grading of a question, a retroactive
item edit, group grading, an answer changed by a new counted attempt, publishing, the
student's view, a regrade request, the exports agreeing with `nbgrader export`, and every
instructor endpoint refusing students.  Six uploads in all (notebooks whose answer cells
are edited in their JSON), graded once by the service of the module."""
import csv
import json
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import add_user, running_web
from gradekit.course.layout import Course

pytestmark = pytest.mark.slow
A, Q3, Q4 = "ML06", "task3_architecture", "task4_tuning"
HOSTILE = 'A 2-2-1 <b>MLP</b> <script>alert("x")</script> & sigmoid units'
PAIRED = "two hidden sigmoid units and one sigmoid output"


@pytest.fixture(scope="module")
def web(tmp_path_factory, course_root):
    """One service for the module on a private course copy: (server, root, tokens)."""
    root = Course(course_root).copy_to(tmp_path_factory.mktemp("manual") / "course").root
    tokens = {user: add_user(root, user) for user in ("ann", "ben", "cat", "dan")}
    tokens["teach"] = add_user(root, "teach", "instructor")
    with running_web(root, workers=2) as server:
        yield server, root, tokens


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def notebook(root, answers, base="source"):
    """The source (or release) notebook with `answers` {grade_id: text} in their cells."""
    data = json.loads((root / base / A / f"{A}.ipynb").read_text())
    for cell in data["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") in answers:
            cell["source"] = answers[cell["metadata"]["nbgrader"]["grade_id"]]
    return json.dumps(data).encode()


def upload_all(server, root, tokens, uploads):
    """Upload {student: notebook bytes} and wait until each is graded and recorded (its
    "graded" event logged after the gradebook row is written)."""
    numbers = {}
    for student, data in uploads.items():
        answer = httpx.post(f"{server.url}/api/assignments/{A}/attempts",
                            headers=bearer(tokens[student]),
                            files={"file": (f"{A}.ipynb", data)}, timeout=60)
        assert answer.status_code == 202, answer.text
        numbers[student] = answer.json()["attempt"]
    deadline = time.monotonic() + 300
    for student, number in numbers.items():
        log = root / "uploads" / student / A / "attempts.jsonl"
        while not any(json.loads(line) == {**json.loads(line), "event": "graded",
                                           "attempt": number}
                      for line in log.read_text().splitlines()):
            assert time.monotonic() < deadline, f"{student}'s attempt {number} not recorded"
            time.sleep(0.3)
    return numbers


class Api:
    """The JSON API as one user calls it."""

    def __init__(self, server, token):
        self.url, self.headers = server.url, bearer(token)

    def __call__(self, method, path, body=None, status=200):
        answer = httpx.request(method, self.url + path, json=body, headers=self.headers,
                               timeout=60)
        assert answer.status_code == status, (method, path, answer.status_code, answer.text)
        return answer.json()


def test_grading_a_question_from_rubric_to_regrade_request(web, tmp_path):
    server, root, tokens = web
    upload_all(server, root, tokens, {
        "ann": notebook(root, {Q3: HOSTILE}), "ben": notebook(root, {Q3: PAIRED}),
        "cat": notebook(root, {Q3: PAIRED}), "dan": notebook(root, {}, base="release")})
    teach, ann = Api(server, tokens["teach"]), Api(server, tokens["ann"])
    base = f"/api/instructor/{A}/questions"
    listed = {q["id"]: q for q in teach("GET", base)}
    assert listed[Q3] == {"id": Q3, "kind": "answer", "max_score": 0.5, "graded": 0,
                          "ungraded": 4, "published": False}
    rows = {r["student"]: r for r in teach("GET", f"{base}/{Q3}/answers")}
    assert rows["ann"]["answer"] == HOSTILE   # plain text, exactly as typed
    assert rows["dan"]["answer"] == "" and rows["dan"]["group"] == 0
    assert rows["ben"]["group"] == rows["cat"]["group"] != rows["ann"]["group"]
    assert rows["ann"]["score"] is None and rows["ann"]["rubric"] == []

    # a rubric, one answer graded by hand and a group graded at once (ungraded members only)
    wrong = teach("POST", f"{base}/{Q3}/rubric", {"title": "no hidden layer", "points": -0.5},
                  status=201)
    why = teach("POST", f"{base}/{Q3}/rubric",
                {"title": "no reason given", "points": -0.25, "description": "why 2?"},
                status=201)
    assert why == {"id": why["id"], "title": "no reason given", "points": -0.25,
                   "description": "why 2?"}
    assert teach("PUT", f"{base}/{Q3}/grades/ann", {"rubric": [why["id"]],
                                                     "comment": "<i>why</i> two?"}) == \
        {"score": 0.25}
    assert teach("PUT", f"{base}/{Q3}/grades/cat", {"rubric": [why["id"]]})["score"] == 0.25
    assert teach("POST", f"{base}/{Q3}/groups/{rows['ben']['group']}/grade",
                 {"rubric": []}) == {"graded": 1}
    teach("POST", f"{base}/{Q3}/groups/0/grade", {"rubric": [wrong["id"]]})
    # a retroactive edit rescores every grade using the item
    teach("PATCH", f"{base}/{Q3}/rubric/{why['id']}", {"points": -0.125})
    scores = {r["student"]: r["score"] for r in teach("GET", f"{base}/{Q3}/answers")}
    assert scores == {"ann": 0.375, "ben": 0.5, "cat": 0.375, "dan": 0.0}
    assert "manual" not in ann("GET", f"/api/assignments/{A}/attempts/1")   # unpublished
    # rubrics to reuse: exported without ids, imported back merged by title
    kept = teach("GET", f"/api/instructor/{A}/rubrics")
    assert kept["questions"][Q3]["items"][1] == {"title": "no reason given", "points": -0.125,
                                                 "description": "why 2?"}
    kept["questions"][Q4] = {"scoring": "positive", "items": [{"title": "weights", "points": 0.25}]}
    merged = teach("PUT", f"/api/instructor/{A}/rubrics", kept)["questions"]
    assert (merged[Q4]["scoring"], len(merged[Q3]["items"])) == ("positive", 2)
    teach("PUT", f"/api/instructor/{A}/rubrics", {"questions": {"nope": {}}}, status=422)

    # new counted attempts: ann's answer is the same (graded still), ben's changed
    upload_all(server, root, tokens, {"ann": notebook(root, {Q3: HOSTILE}),
                                      "ben": notebook(root, {Q3: "a perceptron"})})
    rows = {r["student"]: r for r in teach("GET", f"{base}/{Q3}/answers")}
    assert (rows["ann"]["attempt"], rows["ann"]["score"]) == (2, 0.375)
    assert (rows["ben"]["attempt"], rows["ben"]["score"]) == (2, None)
    assert [h["score"] for h in rows["ben"]["history"]] == [0.5]
    assert {q["id"]: (q["graded"], q["ungraded"]) for q in teach("GET", base)}[Q3] == (3, 1)

    # published: the counted attempt shows the grade, the others do not
    teach("POST", f"/api/instructor/{A}/publish", {"questions": [Q3]})
    shown = ann("GET", f"/api/assignments/{A}/attempts/2")["manual"]
    assert shown == [{"question": Q3, "score": 0.375, "max_score": 0.5,
                      "rubric": [{"title": "no reason given", "points": -0.125}],
                      "comment": "<i>why</i> two?"}]
    assert "manual" not in ann("GET", f"/api/assignments/{A}/attempts/1")
    filed = ann("POST", f"/api/assignments/{A}/regrade-requests",
                {"question": Q3, "text": "I said why"}, status=201)
    assert filed["status"] == "open" and filed["student"] == "ann"
    ann("POST", f"/api/assignments/{A}/regrade-requests", {"question": Q3, "text": "again"},
        status=409)
    ann("POST", f"/api/assignments/{A}/regrade-requests", {"question": "nope", "text": "x"},
        status=404)
    replied = teach("PUT", f"{base}/{Q3}/regrade-requests/ann", {"reply": "fair: 0.5"})
    assert (replied["id"], replied["status"], replied["replied_by"]) == \
        (filed["id"], "answered", "teach")
    assert [r["status"] for r in teach("GET", f"/api/instructor/{A}/regrade-requests")] == \
        ["answered"]

    # one gradebook: the service, `gradekit export` and `nbgrader export` agree on totals
    service = {r["student"]: r for r in teach("GET", f"/api/instructor/{A}/grades")}
    most = sum(q["max_score"] for q in teach("GET", base))
    assert service["ann"]["manual_score"] == 0.375 and service["ann"]["manual_max"] == most
    assert service["ann"]["total"] == service["ann"]["score"] + 0.375
    ours = tmp_path / "ours.csv"
    subprocess.run([sys.executable, "-m", "gradekit.cli", "export", A, "--to", str(ours)],
                   cwd=root, check=True, capture_output=True)
    exported = {r["student"]: r for r in csv.DictReader(ours.read_text().splitlines())}
    assert list(exported["ann"])[:5] == ["student", "score", "max_score", "late_penalty",
                                         "timestamp"]
    assert list(exported["ann"])[-3:] == ["manual_score", "manual_max", "total"]
    subprocess.run(["nbgrader", "export", "--assignment", A], cwd=root, check=True,
                   capture_output=True)
    theirs = {r["student_id"]: float(r["score"])
              for r in csv.DictReader((root / "grades.csv").read_text().splitlines())}
    for student in ("ann", "ben", "cat", "dan"):
        assert float(exported[student]["total"]) == pytest.approx(service[student]["total"])
        assert theirs[student] == pytest.approx(service[student]["total"]), student
        assert float(exported[student]["manual_score"]) == service[student]["manual_score"]


def test_students_are_refused_and_unknown_ids_are_not_found(web):
    server, root, tokens = web
    student, teach = Api(server, tokens["dan"]), Api(server, tokens["teach"])
    base = f"/api/instructor/{A}"
    calls = [("GET", f"{base}/questions"), ("GET", f"{base}/questions/{Q3}/answers"),
             ("POST", f"{base}/questions/{Q3}/rubric"),
             ("PATCH", f"{base}/questions/{Q3}/rubric/1"),
             ("PATCH", f"{base}/questions/{Q3}"), ("PUT", f"{base}/questions/{Q3}/grades/dan"),
             ("POST", f"{base}/questions/{Q3}/groups/0/grade"), ("POST", f"{base}/publish"),
             ("GET", f"{base}/rubrics"), ("PUT", f"{base}/rubrics"),
             ("GET", f"{base}/regrade-requests"), ("GET", f"{base}/grades"),
             ("POST", f"{base}/questions/{Q3}/answers/dan/move-out"),
             ("PUT", f"{base}/questions/{Q3}/regrade-requests/dan")]
    for method, path in calls:
        assert student(method, path, {}, status=403) == {"error": "instructors only"}
    for method, path, body in [
            ("GET", f"{base}/questions/nope/answers", None),
            ("PUT", f"{base}/questions/{Q3}/grades/nobody", {"rubric": []}),
            ("PATCH", f"{base}/questions/{Q3}/rubric/99999", {"points": 1}),
            ("POST", f"{base}/questions/{Q4}/groups/99999/grade", {"rubric": []}),
            ("POST", f"{base}/publish", {"questions": ["nope"]}),
            ("GET", "/api/instructor/NOPE/questions", None)]:
        assert "error" in teach(method, path, body, status=404), path
    for body in ({"title": "x"}, {"title": "x", "points": "1"}, {"title": "", "points": 1},
                 {"title": "x", "points": 1, "extra": 1}, [1]):
        assert "error" in teach("POST", f"{base}/questions/{Q3}/rubric", body, status=422)
    assert "error" in teach("PATCH", f"{base}/questions/{Q3}", {"scoring": "both"}, status=422)
