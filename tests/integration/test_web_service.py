"""gradekit web as a running service: uploads through the API are graded by its workers and
shown as `gradekit upload` records them; bad input, a burst, a killed service."""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from io import BytesIO

import httpx
import pytest

from tests.conftest import add_user, running_web
from gradekit.course.layout import Course
from gradekit.dispatch.local_grader import LocalGrader

pytestmark = pytest.mark.slow
A = "ML06"


@pytest.fixture(scope="module")
def web(tmp_path_factory, course_root):
    """One service for the module (2 workers) on a private course copy: (process, root)."""
    root = Course(course_root).copy_to(tmp_path_factory.mktemp("web") / "course").root
    with running_web(root, workers=2) as server:
        yield server, root


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def post(url, token, name, data):
    return httpx.post(f"{url}/api/assignments/{A}/attempts", headers=bearer(token),
                      files={"file": (name, data)}, timeout=60)


def wait_final(url, token, number, patience_s=300):
    """The attempt's JSON once it is no longer queued or grading."""
    deadline = time.monotonic() + patience_s
    while True:
        answer = httpx.get(f"{url}/api/assignments/{A}/attempts/{number}",
                           headers=bearer(token), timeout=30).json()
        if answer["status"] not in ("queued", "grading"):
            return answer
        assert time.monotonic() < deadline, f"attempt {number} still {answer['status']}"
        time.sleep(0.5)


def feedback_page(url, path, cookies, patience_s=60):
    """The feedback page at `path` once drawn (it answers 202 "drawing" for a moment after
    the attempt turned graded)."""
    deadline = time.monotonic() + patience_s
    while True:
        page = httpx.get(url + path, cookies=cookies, timeout=30)
        if page.status_code != 202:
            return page
        assert time.monotonic() < deadline, f"{path}: still drawing"
        time.sleep(0.2)


def log_of(root, student):
    return [json.loads(line) for line in
            (root / "uploads" / student / A / "attempts.jsonl").read_text().splitlines()]


def events_of(root, student, count, patience_s=60):
    """The events of the student's log once it holds `count` of them: an attempt shows as
    graded first and is recorded (its event logged) a moment later."""
    deadline = time.monotonic() + patience_s
    while len(log_of(root, student)) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return [r["event"] for r in log_of(root, student)]


def test_uploads_are_graded_as_gradekit_grades_them(web, course_root):
    server, root = web
    files = {"ann": root / "reference" / A / "mlp.py", "ben": root / "release" / A / "ML06.ipynb",
             "cat": root / "graders" / A / "mutants" / "grad_squared_error_delta.py"}
    tokens = {student: add_user(root, student) for student in files}
    posted = {s: post(server.url, tokens[s], path.name, path.read_bytes())
              for s, path in files.items()}
    assert {s: (a.status_code, a.json()["status"]) for s, a in posted.items()} == \
        {s: (202, "queued") for s in files}
    expected = LocalGrader(Course(root), A)
    for student, path in files.items():
        report = wait_final(server.url, tokens[student], posted[student].json()["attempt"])
        assert report["status"] == "graded"
        assert report["score"] == pytest.approx(expected.grade_file(path).score)
        assert report["upload"]["student"] == student and report["upload"]["counts"]
        hidden = [t for t in report["tests"] if t["visibility"] == "hidden"]
        assert hidden and all("\n" not in t["output"] for t in hidden)
        assert events_of(root, student, 2) == ["received", "graded"]
    listed = httpx.get(f"{server.url}/api/assignments/{A}/attempts",
                       headers=bearer(tokens["ann"])).json()
    assert [a["attempt"] for a in listed] == [1] and listed[0]["score"] == 10.0
    grades = httpx.get(f"{server.url}/api/instructor/{A}/grades",
                       headers=bearer(add_user(root, "teach", "instructor"))).json()
    assert {row["student"]: row["score"] for row in grades}["ann"] == 10.0
    # the feedback page: the student's plots, served so that nothing in it can run
    page = feedback_page(server.url, f"/assignments/{A}/attempts/1/feedback",
                         signed_in_cookies(server.url, tokens["ann"]))
    assert page.status_code == 200 and "<img" in page.text
    assert "sandbox" in page.headers["content-security-policy"]


def signed_in_cookies(url, token):
    import re
    with httpx.Client(base_url=url) as client:
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/signin").text).group(1)
        assert client.post("/signin", data={"csrf": csrf, "token": token}).status_code == 303
        return dict(client.cookies)


def test_bad_files_are_archived_and_answered_with_their_reason(web, tmp_path):
    server, root = web
    zipped = BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("../../escape.py", "x = 1")
    cases = {"empty.ipynb": b"", "broken.ipynb": b"{not json", "virus.exe": b"MZ\x90\x00",
             "hostile.zip": zipped.getvalue()}
    for number, (name, data) in enumerate(cases.items()):
        student = f"bad{number}"
        answer = post(server.url, add_user(root, student), name, data)
        assert answer.status_code == 422, name
        assert answer.json()["status"] == "rejected" and answer.json()["error"], name
        log = log_of(root, student)
        assert [r["event"] for r in log] == ["received", "rejected"]
        assert log[1]["reason"] == answer.json()["error"]
        assert (root / "uploads" / student / A / log[0]["archive"]).read_bytes() == data
        # the same words as `gradekit upload` of the same file
        (tmp_path / name).write_bytes(data)
        cli = subprocess.run([sys.executable, "-m", "gradekit.cli", "upload", A,
                              str(tmp_path / name), "--student", f"cli{number}", "--json"],
                             cwd=root, capture_output=True, text=True)
        assert cli.returncode == 2 and json.loads(cli.stdout)["error"] == answer.json()["error"]


def test_too_large_is_refused_before_the_body_is_read(web):
    """A client that asks first (`Expect: 100-continue`, as curl does) is answered at once."""
    server, root = web
    token = add_user(root, "huge")
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            f"POST /api/assignments/{A}/attempts HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            f"Expect: 100-continue\r\nContent-Length: {200 << 20}\r\n\r\n".encode())
        answer = connection.recv(4096).decode()   # answered with all 200 MB unsent
    assert answer.startswith("HTTP/1.1 413")
    assert not (root / "uploads" / "huge").exists()


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_too_large_is_answered_to_a_client_that_sends_it_all(web, declared):
    """A browser sends the whole body before it reads the answer: it still gets the 413.
    (urllib, like a browser, neither asks first nor reads an answer while it sends.)"""
    server, root = web
    token = add_user(root, "bulky")
    body = (b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.py"\r\n\r\n'
            + b"x" * (40 << 20) + b"\r\n--b--\r\n")
    chunks = (body[i:i + (1 << 20)] for i in range(0, len(body), 1 << 20))
    request = urllib.request.Request(
        f"{server.url}/api/assignments/{A}/attempts", data=body if declared else chunks,
        headers={"Content-Type": "multipart/form-data; boundary=b", **bearer(token)})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=60)
    assert answer.value.code == 413
    assert json.loads(answer.value.read()) == {"error": "the upload is larger than 5 MB"}
    assert not (root / "uploads" / "bulky").exists()


def test_printed_text_and_file_names_stay_text(web):
    server, root = web
    token = add_user(root, "mallory")
    name = "<img src=x onerror=alert(1)>.py"
    code = b"raise ValueError('<script>alert(2)</script>')\n" + \
        (root / "reference" / A / "mlp.py").read_bytes()
    number = post(server.url, token, name, code).json()["attempt"]
    assert wait_final(server.url, token, number)["status"] == "graded"
    cookies = signed_in_cookies(server.url, token)
    for path in (f"/assignments/{A}/attempts/{number}", f"/assignments/{A}",
                 f"/assignments/{A}/attempts/{number}/feedback"):
        page = feedback_page(server.url, path, cookies)
        assert page.status_code == 200, path
        page = page.text
        assert "<script>alert(2)" not in page and "<img src=x" not in page, path
    attempt_page = httpx.get(f"{server.url}/assignments/{A}/attempts/{number}",
                             cookies=cookies).text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in attempt_page
    assert "&lt;img src=x onerror=alert(1)&gt;.py" in attempt_page
    assert "def test_" not in attempt_page   # no grader source, ever


def test_a_burst_of_30_uploads(web):
    """30 students upload at once: every upload archived, graded and recorded once, and
    pages keep answering meanwhile."""
    server, root = web
    samples = [root / "reference" / A / "mlp.py", root / "release" / A / "ML06.ipynb"]
    tokens = {f"s{i:02d}": add_user(root, f"s{i:02d}") for i in range(30)}
    answers, page_times = {}, []

    def upload(student, index):
        path = samples[index % 2]
        answers[student] = post(server.url, tokens[student], path.name, path.read_bytes())

    threads = [threading.Thread(target=upload, args=(s, i)) for i, s in enumerate(tokens)]
    for thread in threads:
        thread.start()
    cookies = signed_in_cookies(server.url, tokens["s00"])
    while any(t.is_alive() for t in threads) or len(page_times) < 5:
        began = time.monotonic()
        assert httpx.get(f"{server.url}/assignments/{A}", cookies=cookies,
                         timeout=30).status_code == 200
        page_times.append(time.monotonic() - began)
        time.sleep(0.2)
    for thread in threads:
        thread.join()
    failed = {s: (a.status_code, a.text) for s, a in answers.items() if a.status_code != 202}
    assert not failed, f"{failed}; the service's stderr ends:\n{server.stderr_tail()}"
    assert sorted(answers) == sorted(tokens)
    scores = {s: wait_final(server.url, tokens[s], 1)["score"] for s in tokens}
    assert max(page_times) < 1.0, page_times
    assert scores == {s: (10.0 if i % 2 == 0 else 0.0) for i, s in enumerate(tokens)}
    for student in tokens:
        assert events_of(root, student, 2) == ["received", "graded"]
    subprocess.run([sys.executable, "-m", "gradekit.cli", "export", A, "--to", "grades.csv"],
                   cwd=root, check=True, capture_output=True)
    exported = (root / "grades.csv").read_text().splitlines()[1:]
    assert sorted(line.split(",")[0] for line in exported if line.startswith("s")) == \
        sorted(tokens)   # one gradebook row per student


def test_killing_the_service_mid_grading_loses_no_upload(tmp_path, course_root):
    """SIGKILL while grading (its workers die with it); after a restart every attempt left
    queued or grading is graded once, and its student sees the result.  Fallback sandbox:
    the service grades there too."""
    root = Course(course_root).copy_to(tmp_path / "course").root
    tokens = {f"k{i}": add_user(root, f"k{i}") for i in range(3)}
    reference = (root / "reference" / A / "mlp.py").read_bytes()
    env = {"GRADEKIT_SANDBOX": "fallback"}
    with running_web(root, workers=1, env=env) as server:
        numbers = {s: post(server.url, t, "mlp.py", reference).json()["attempt"]
                   for s, t in tokens.items()}
        deadline = time.monotonic() + 120
        while httpx.get(f"{server.url}/api/assignments/{A}/attempts/1",
                        headers=bearer(tokens["k0"])).json()["status"] != "grading":
            assert time.monotonic() < deadline, "never started grading"
            time.sleep(0.1)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
    with running_web(root, workers=1, env=env) as server:
        for student, token in tokens.items():
            assert wait_final(server.url, token, numbers[student])["score"] == 10.0
    for student in tokens:
        assert events_of(root, student, 2) == ["received", "graded"]


def test_gradekit_upload_works_beside_the_service(web):
    """The command line and the service share the course: an upload made with `gradekit
    upload` while the service runs is the student's next attempt on their page."""
    server, root = web
    token = add_user(root, "cli-user")
    path = root / "reference" / A / "mlp.py"
    done = subprocess.run([sys.executable, "-m", "gradekit.cli", "upload", A, str(path),
                           "--student", "cli-user", "--json"], cwd=root, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    listed = httpx.get(f"{server.url}/api/assignments/{A}/attempts", headers=bearer(token)).json()
    assert [(a["attempt"], a["status"], a["score"]) for a in listed] == [(1, "graded", 10.0)]
    assert listed[0]["tests"] == json.loads(done.stdout)["tests"]


def test_the_instructor_regrades_an_attempt(web):
    import re
    server, root = web
    token, teacher = add_user(root, "rita"), add_user(root, "grader", "instructor")
    path = root / "reference" / A / "mlp.py"
    number = post(server.url, token, path.name, path.read_bytes()).json()["attempt"]
    assert wait_final(server.url, token, number)["score"] == 10.0
    with httpx.Client(base_url=server.url, cookies=signed_in_cookies(server.url, teacher)) as me:
        page = me.get(f"/instructor/{A}/students/rita")
        assert page.status_code == 200 and "mlp.py" in page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', me.get(f"/instructor/{A}").text).group(1)
        answer = me.post(f"/instructor/{A}/regrade",
                         data={"csrf": csrf, "student": "rita", "attempt": str(number)})
        assert answer.status_code == 303
    assert wait_final(server.url, token, number)["score"] == 10.0
    assert events_of(root, "rita", 3) == ["received", "graded", "regraded"]
