"""What a student sees of the human grading on their counted attempt's page: per published
question its points, the rubric items applied and the comment, their regrade requests and
the replies; and how many manual points are still pending."""
from ..manual import book, questions as manual
from .views import counts_now


def student_view(course, row) -> dict | None:
    """{"published": [graded feedback rows + "title", "requests"], "pending": points not
    yet graded or published} for `row` when it is its student's counted attempt of an
    assignment with manual questions; None otherwise (other attempts are not graded by hand)."""
    asked = manual.questions(course, row.assignment)
    if not asked or not counts_now(course, row):
        return None
    published = book.feedback(course, row.assignment, row.student)
    mine = book.regrades(course, row.assignment, student=row.student)
    titles = {q.id: q.title + (" (plot)" if q.kind == "task" else "") for q in asked}
    graded = [dict(f, title=titles.get(f["question"], f["question"]),
                   requests=[r for r in mine if r["question"] == f["question"]])
              for f in published if f.get("score") is not None]
    done = {f["question"] for f in graded}
    return {"published": graded,
            "pending": round(sum(q.max_score for q in asked if q.id not in done), 4)}
