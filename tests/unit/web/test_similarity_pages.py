"""gradekit web's similarity pages: only instructors see them, a pair is flagged and
unflagged, a student's hostile cell text is shown as text, the copied function is
highlighted, and the class is compared again only when a new attempt counts.

In this process (TestClient) with the queue not started: each student's attempt is received
as every upload is (upload.receive) and made the counted one as record.py does
(counted.json); the notebooks are test_similarity's (the release filled in from the
reference and the library's variants).
"""
import json
import re

import pytest
from starlette.testclient import TestClient

from gradekit.attempts import pair_flags
from gradekit.course.layout import Course
from gradekit.dispatch.local_queue import LocalQueue
from gradekit.attempts.receive import receive
from gradekit.attempts.users import add_user
from gradekit.web import similarity_pages
from gradekit.web.app import build_app
from tests.unit.similarity.test_similarity import notebook, solution_cells
from tests.unit.web.test_access import csrf_of, signed_in_client

pytestmark = pytest.mark.smoke
HOSTILE = '</script><script>alert("pwned")</script><img src=x onerror=alert(1)>'
LIST = "/instructor/ML06/similarity"


def count(course, student, path):
    """Receive `path` as `student`'s upload and make it their counted attempt."""
    received = receive(course, "ML06", student, path.name, path.read_bytes())
    assert received.outcome is None, received.outcome
    (course.root / "uploads" / student / "ML06" / "counted.json").write_text(
        json.dumps({"attempt": received.number, "score": 5.0}))


@pytest.fixture
def site(course_copy, course_root, tmp_path):
    """(app, course, {user: token}): ann and ben share the reference's `gradients` (ben
    moved it to the cell after; his other functions are his own), cyd's notebook carries
    hostile text, dan and eve are independent; alice is a student user, prof the
    instructor."""
    course = Course(course_copy)
    reference = solution_cells(course_root / "reference/ML06/mlp.py")

    def variant(name):
        return solution_cells(course_root / f"graders/ML06/variants/{name}.py")

    def hostile(nb):
        nb["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [],
                            "execution_count": None, "source": f"note = '{HOSTILE}'\n# {HOSTILE}"})
        nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": HOSTILE})

    for student, cells, edit in (
            ("ann", reference, None),
            ("ben", dict(variant("python_lists"), gradients=variant("python_lists")["train"],
                         train=reference["gradients"]), None),
            ("cyd", variant("pure_python_loops"), hostile),
            ("dan", variant("column_vectors"), None),
            ("eve", variant("momentum"), None)):
        count(course, student, notebook(course, cells, tmp_path / f"{student}.ipynb", edit))
    tokens = {"alice": add_user(course, "alice"),
              "prof": add_user(course, "prof", role="instructor")}
    return build_app(course, LocalQueue(course, workers=1)), course, tokens


def test_only_instructors_see_the_similarity_pages(site):
    app, _, tokens = site
    paths = (LIST, f"{LIST}/ann/ben")
    anonymous = TestClient(app, follow_redirects=False)
    for path in paths:
        answer = anonymous.get(path)
        assert (answer.status_code, answer.headers.get("location")) == (303, "/signin"), path
    assert anonymous.post(f"{LIST}/flags", data={"a": "ann", "b": "ben"}).headers.get(
        "location") == "/signin"
    alice = signed_in_client(app, tokens["alice"])
    for path in paths:
        assert alice.get(path).status_code == 403, path
    assert alice.post(f"{LIST}/flags", data={
        "csrf": csrf_of(alice.get("/assignments/ML06")), "a": "ann", "b": "ben"}
    ).status_code == 403
    assert "ann" not in alice.get("/assignments/ML06").text
    prof = signed_in_client(app, tokens["prof"])
    assert f'href="{LIST}"' in prof.get("/instructor/ML06").text
    for path in paths:
        answer = prof.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["cache-control"] == "no-store", path
    listing = prof.get(LIST).text
    assert 'id="similarity-histogram" src="data:image/svg+xml;base64,' in listing
    first = re.search(r'<a href="/instructor/ML06/similarity/(\w+)/(\w+)">', listing).groups()
    assert set(first) == {"ann", "ben"}   # the copied function ranks them first
    for path in (f"{LIST}/ann/nobody", f"{LIST}/ann/ann", f"{LIST}/ann/-x",
                 "/instructor/NOPE/similarity"):
        assert prof.get(path).status_code == 404, path


def test_a_pair_is_flagged_and_unflagged(site, monkeypatch):
    app, course, tokens = site
    monkeypatch.setattr(similarity_pages, "LISTED", 1)   # a flagged pair is listed all the same
    prof = signed_in_client(app, tokens["prof"])
    csrf = csrf_of(prof.get(LIST))
    form = {"csrf": csrf, "a": "eve", "b": "dan", "action": "flag", "note": "ask both <b>",
            "back": f"{LIST}/eve/dan"}
    assert prof.post(f"{LIST}/flags", data=dict(form, csrf="forged")).status_code == 403
    assert pair_flags.flags(course, "ML06") == {}
    flagged = prof.post(f"{LIST}/flags", data=form)
    assert (flagged.status_code, flagged.headers["location"]) == (303, f"{LIST}/eve/dan")
    [(pair, flag)] = pair_flags.flags(course, "ML06").items()
    assert pair == ("dan", "eve") and (flag.flagged_by, flag.note) == ("prof", "ask both <b>")
    listing = prof.get(LIST).text
    row = re.search(r'<tr class="flagged">.*?</tr>', listing, re.S).group(0)
    assert "dan ↔ eve" in row and "flagged by prof" in row and "ask both &lt;b&gt;" in row
    rank = app.state.comparisons.view(course, "ML06").rank("eve", "dan")
    assert rank > 1 and f"<td>{rank}</td>" in row   # its place among all pairs
    assert listing.count("<tr") == 3   # the header, the top pair, the flagged one
    assert "flagged by prof" in prof.get(f"{LIST}/dan/eve").text
    unflagged = prof.post(f"{LIST}/flags", data=dict(form, action="unflag", back="//evil"))
    assert (unflagged.status_code, unflagged.headers["location"]) == (303, LIST)
    assert pair_flags.flags(course, "ML06") == {}
    assert 'class="flagged"' not in prof.get(LIST).text


def test_hostile_cell_text_is_shown_as_text(site):
    app, _, tokens = site
    page = signed_in_client(app, tokens["prof"]).get(f"{LIST}/cyd/ann").text
    assert page.count("&lt;/script&gt;&lt;script&gt;alert(") == 3   # code, comment, markdown
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "<script" not in page.lower()


def test_the_copied_function_is_highlighted_beside_where_it_moved(site):
    app, _, tokens = site
    page = signed_in_client(app, tokens["prof"]).get(f"{LIST}/ann/ben").text
    evidence = re.search(r'<ul id="evidence">(.*?)</ul>', page, re.S).group(1)
    assert "function `gradients`" in evidence
    rows = re.findall(r'<tr id="row-\d+">(.*?)</tr>', page, re.S)
    both = [row for row in rows if row.count('class="line match"') >= 2
            and len(re.findall(r"<td>\s*<div", row)) == 2]
    assert both, "no row shows matched lines on both sides"
    row = max(both, key=lambda r: r.count('class="line match"'))
    left, right = row.split("</td>", 1)
    assert re.findall(r'<div class="cell-label">([^<]*)</div>', row) == ["cell 17", "cell 19"]
    matched = lambda side: re.findall(r'class="line match" data-line="\d+">([^<]*)<', side)
    assert any("dW1 = delta_h.T @ _with_bias(X)" in line for line in matched(left))
    assert matched(left) == matched(right)   # the same lines, copied
    assert 'class="line starter"' in page   # the release's code, greyed


def test_the_class_is_compared_again_only_when_a_new_attempt_counts(site, tmp_path):
    app, course, tokens = site
    prof = signed_in_client(app, tokens["prof"])
    first = prof.get(LIST).text
    assert "5 students" in first and 'id="clusters"' not in first
    prof.get(f"{LIST}/ann/ben")
    assert app.state.comparisons.computed == 1   # a reload and another page: the same one
    for student in ("fay", "gus"):   # two more copies of ann's: a cluster of three
        count(course, student, tmp_path / "ann.ipynb")
    page = prof.get(LIST).text
    assert "7 students" in page and app.state.comparisons.computed == 2
    clusters = re.search(r'<ul id="clusters">(.*?)</ul>', page, re.S).group(1)
    assert "<li>ann, fay, gus:" in clusters and f'href="{LIST}/ann/fay"' in clusters


def test_fewer_than_two_counted_attempts_compare_nothing(course_copy, course_root):
    course = Course(course_copy)
    prof = signed_in_client(build_app(course, LocalQueue(course, workers=1)),
                            add_user(course, "prof", role="instructor"))
    assert "0 students" in prof.get(LIST).text
    count(course, "ann", course_root / "reference/ML06/mlp.py")
    page = prof.get(LIST).text
    assert "1 student, 0 pairs" in page and "nothing to compare" in page
    assert prof.get(f"{LIST}/ann/ben").status_code == 404


@pytest.mark.slow
def test_flags_live_in_postgresql_as_in_sqlite(course_copy, postgres_server, monkeypatch):
    monkeypatch.setenv("GRADEKIT_DATABASE", postgres_server.database())
    course = Course(course_copy)
    pair_flags.flag(course, "ML06", "ben", "ann", "prof", "first look")
    pair_flags.flag(course, "ML06", "ann", "ben", "ta", "x" * 600)   # the same pair again
    [flag] = pair_flags.flags(course, "ML06").values()
    assert (flag.a, flag.b, flag.flagged_by) == ("ann", "ben", "ta")
    assert flag.note == "x" * pair_flags.NOTE_CHARS
    assert pair_flags.flags(course, "XOR") == {}
    assert pair_flags.unflag(course, "ML06", "ben", "ann")
    assert not pair_flags.unflag(course, "ML06", "ann", "ben")
    assert pair_flags.flags(course, "ML06") == {}
