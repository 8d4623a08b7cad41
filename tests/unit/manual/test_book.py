"""Rubrics, grades tied to the answers they judged, publishing and regrade requests, on a
course copy whose attempts are written as graded rows (no grading: the service's tests do
that), with answers edited in the notebook JSON."""
import json

import pytest

from gradekit.attempts import table as attempts
from gradekit.course.layout import Course
from gradekit.manual import book, ledger, rubrics, state
from gradekit.manual.questions import answer_text, manual_max, question, questions
from gradekit.manual.regrades import AlreadyOpen, file_regrade

A, Q = "ML06", "task3_architecture"


@pytest.fixture
def course(course_copy):
    return Course(course_copy)


def notebook(course, answers):
    """The release notebook with `answers` {grade_id: text} typed into their cells."""
    data = json.loads((course.release_dir(A) / f"{A}.ipynb").read_text())
    for cell in data["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return json.dumps(data).encode()


def attempt(course, student, number, answers, counts=True, suffix=".ipynb"):
    """A graded attempt row whose archive holds a notebook with `answers`."""
    archive = course.root / "uploads" / student / A / f"{number}{suffix}"
    archive.parent.mkdir(parents=True, exist_ok=True)
    archive.write_bytes(notebook(course, answers) if suffix == ".ipynb" else b"x = 1\n")
    row = attempts.Attempt(A, student, number, archive.name,
                           str(archive.relative_to(course.root)),
                           f"2026-12-01T10:0{number}:00+00:00", "graded", score=10.0,
                           max_score=10.0, late_penalty=0.0, counts=counts)
    attempts.add(course, row)
    return row


def test_questions_are_the_manually_graded_cells_with_their_statements(course):
    found = {q.id: q for q in questions(course, A)}
    assert {"task3_architecture", "task4_tuning"} <= set(found)
    assert found[Q].kind == "answer" and found[Q].max_score == 0.5
    assert found[Q].title == "Task 3" and "architecture" in found[Q].prompt
    assert "2 sigmoid units" in found[Q].solution
    with pytest.raises(KeyError):
        question(course, A, "test_answers")   # autograded: not a question people grade


def test_answer_text_is_the_cell_verbatim_and_empty_when_untouched(course):
    q = question(course, A, Q)
    typed = attempt(course, "ann", 1, {Q: "<script>alert(1)</script> **2-2-1**"})
    stub = attempt(course, "ben", 1, {})
    blank = attempt(course, "cat", 1, {Q: "   \n"})
    script = attempt(course, "dan", 1, {}, suffix=".py")
    assert answer_text(course, typed, q) == "<script>alert(1)</script> **2-2-1**"
    assert [answer_text(course, r, q) for r in (stub, blank, script)] == ["", "", ""]


def test_items_rescore_grades_and_a_changed_answer_needs_grading_again(course):
    grades_follow_items_and_answers(course)


@pytest.mark.slow
def test_grades_live_in_postgresql_as_in_sqlite(course_copy, postgres_server, monkeypatch):
    """The same story on PostgreSQL, where the gradebook shares the database."""
    monkeypatch.setenv("GRADEKIT_DATABASE", postgres_server.database())
    grades_follow_items_and_answers(Course(course_copy))


def grades_follow_items_and_answers(course):
    q = question(course, A, Q)
    attempt(course, "ann", 1, {Q: "2-2-1 with sigmoids"})
    attempt(course, "ben", 1, {Q: "one perceptron"})
    wrong = rubrics.add_item(course, A, Q, title="no hidden layer", points=-0.5)
    vague = rubrics.add_item(course, A, Q, title="vague", points=-0.125,
                             description="says what, not why")
    assert book.grade(course, A, Q, "ben", rubric=[wrong["id"]], by="t") == 0.0
    assert book.grade(course, A, Q, "ann", rubric=[vague["id"]], comment="why?",
                      by="t") == 0.375
    rubrics.edit_item(course, A, Q, vague["id"], points=-0.25)   # retroactive
    assert state.answers(course, A, q)["ann"].grade["score"] == 0.25
    rubrics.set_scoring(course, A, Q, "positive")
    assert state.answers(course, A, q)["ann"].grade["score"] == 0.0
    rubrics.set_scoring(course, A, Q, "negative")
    # a new counted attempt: the same answer keeps its grade, a changed one needs grading
    attempt(course, "ann", 2, {Q: "2-2-1 with sigmoids"})
    attempt(course, "ben", 2, {Q: "2-2-1: two hidden units"})
    now = state.answers(course, A, q)
    assert now["ann"].grade["score"] == 0.25 and now["ann"].attempt == 2
    assert now["ben"].grade is None and now["ben"].history[0]["score"] == 0.0
    cells = ledger.cell_scores(course, A)
    assert (cells["ann"][Q], cells["ben"][Q], cells["ann"]["task4_tuning"]) == (0.25, None, None)
    assert book.manual_totals(course, A)["ann"] == 0.25
    assert manual_max(course, A) == sum(q.max_score for q in questions(course, A)) == 5.0


def test_bad_values_and_unknown_ids(course):
    attempt(course, "ann", 1, {Q: "2-2-1"})
    item = rubrics.add_item(course, A, Q, title="ok", points=-0.1)
    with pytest.raises(KeyError):
        rubrics.edit_item(course, A, "task4_tuning", item["id"], points=1)   # other question
    with pytest.raises(KeyError):
        book.grade(course, A, Q, "nobody", rubric=[], by="t")
    with pytest.raises(KeyError):
        rubrics.add_item(course, A, "no_such_question", title="x", points=1)
    for bad in ({"rubric": [999]}, {"rubric": "1"}, {"rubric": [], "adjust": "1"},
                {"rubric": [True]}):
        with pytest.raises(ValueError):
            book.grade(course, A, Q, "ann", by="t", **bad)
    with pytest.raises(ValueError):
        rubrics.add_item(course, A, Q, title=" ", points=1)
    with pytest.raises(ValueError):
        rubrics.set_scoring(course, A, Q, "both")


def test_feedback_waits_for_publishing_and_one_regrade_request_is_open_at_a_time(course):
    attempt(course, "ann", 1, {Q: "2-2-1"})
    item = rubrics.add_item(course, A, Q, title="no reason given", points=-0.25)
    book.grade(course, A, Q, "ann", rubric=[item["id"]], comment="why 2?", by="t")
    assert book.feedback(course, A, "ann") == []
    with pytest.raises(ValueError):
        file_regrade(course, A, Q, "ann", "please")   # nothing published to dispute
    book.publish(course, A, [Q])
    assert book.feedback(course, A, "ann") == [{
        "question": Q, "score": 0.25, "max_score": 0.5, "comment": "why 2?",
        "rubric": [{"title": "no reason given", "points": -0.25}]}]
    filed = file_regrade(course, A, Q, "ann", "I said why")
    assert filed["status"] == "open"
    with pytest.raises(AlreadyOpen):
        file_regrade(course, A, Q, "ann", "again")
    answered = book.answer_regrade(course, A, Q, "ann", reply="fair", by="t")
    assert (answered["status"], answered["reply"]) == ("answered", "fair")
    assert file_regrade(course, A, Q, "ann", "one more")["status"] == "open"
    assert [r["status"] for r in book.regrades(course, A, Q)] == ["answered", "open"]


def test_rubrics_export_and_import_merge_by_title(course):
    rubrics.add_item(course, A, Q, title="no hidden layer", points=-0.5)
    exported = rubrics.export_rubrics(course, A)
    exported["questions"][Q]["items"][0]["points"] = -0.4
    exported["questions"][Q]["items"].append({"title": "new", "points": -0.1})
    exported["questions"]["task4_tuning"]["scoring"] = "positive"
    rubrics.import_rubrics(course, A, exported)
    again = rubrics.export_rubrics(course, A)["questions"]
    assert [(i["title"], i["points"]) for i in again[Q]["items"]] == \
        [("no hidden layer", -0.4), ("new", -0.1)]
    assert again["task4_tuning"]["scoring"] == "positive"
    with pytest.raises(ValueError):
        rubrics.import_rubrics(course, A, {"questions": {"nope": {"items": []}}})


def test_a_group_grade_reaches_only_its_ungraded_members_and_moves_split_groups(course):
    for student, text in (("ann", "2-2-1, sigmoid"), ("ben", "one perceptron"),
                          ("cat", "one perceptron"), ("dan", "")):
        attempt(course, student, 1, {Q: text})
    item = rubrics.add_item(course, A, Q, title="no hidden layer", points=-0.5)
    rows = {r["student"]: r for r in book.answer_rows(course, A, Q)}
    assert rows["ben"]["group"] == rows["cat"]["group"] != rows["ann"]["group"]
    assert rows["dan"]["group"] == 0 and rows["dan"]["answer"] == ""
    assert rows["ann"]["name"] == "ann" and "name" not in book.answer_rows(
        course, A, Q, names=False)[0]
    book.grade(course, A, Q, "cat", rubric=[], comment="ok", by="t")
    assert book.grade_group(course, A, Q, rows["ben"]["group"], rubric=[item["id"]],
                            by="t") == 1
    scores = {r["student"]: r["score"] for r in book.answer_rows(course, A, Q)}
    assert (scores["ben"], scores["cat"]) == (0.0, 0.5)
    book.move_out(course, A, Q, "cat")
    after = {r["student"]: r["group"] for r in book.answer_rows(course, A, Q)}
    assert after["cat"] > max(g for s, g in after.items() if s != "cat")
    with pytest.raises(KeyError):
        book.grade_group(course, A, Q, 999, rubric=[], by="t")
    assert {r["id"]: (r["graded"], r["ungraded"]) for r in book.question_rows(course, A)}[Q] \
        == (2, 2)


def test_a_plot_grade_follows_the_kept_numbers_its_pictures_are_drawn_from(course):
    """A new attempt whose networks train alike keeps a plot's grade; other numbers do not."""
    from gradekit.attempts import artifacts
    from gradekit.attempts.storage import beside
    plot = question(course, A, "task08_plot")
    kept = {"train_data_1": {"seed": 0, "losses": [0.7, 0.5, 0.2]}}

    def graded(number, answer, numbers):
        row = attempt(course, "ann", number, {Q: answer})
        artifacts.write(beside(course, row.archive, artifacts.SUFFIX), numbers)

    graded(1, "2-2-1", kept)
    item = rubrics.add_item(course, A, plot.id, title="no legend", points=-0.25)
    assert book.grade(course, A, plot.id, "ann", rubric=[item["id"]], by="t") == 0.25
    graded(2, "2-2-1 with two sigmoid hidden units", kept)   # only a text answer changed
    assert state.answers(course, A, plot)["ann"].grade["score"] == 0.25
    graded(3, "2-2-1", {"train_data_1": {"seed": 0, "losses": [0.7, 0.6, 0.6]}})
    now = state.answers(course, A, plot)["ann"]
    assert now.grade is None and now.history[0]["score"] == 0.25
