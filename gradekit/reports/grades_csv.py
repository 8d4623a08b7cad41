"""The gradebook's grades of an assignment, as rows and as CSV: what `gradekit export` writes
and the instructor's page offers for download."""
import csv
import io

from ..attempts.gradebook import open_gradebook
from ..manual.questions import manual_max, questions


def rows(course, assignment):
    """One dict per submission: student, score (autograded), max_score, late penalty,
    per-cell scores, then the human grades' sum (manual_score: ungraded cells count 0), the
    manually graded cells' maximum (manual_max) and the total (after the late penalty)."""
    from nbgrader.api import MissingEntry
    manual = {q.id: q.max_score for q in questions(course, assignment)}
    with open_gradebook(course) as book:
        try:
            found = book.find_assignment(assignment)
        except MissingEntry:
            return []
        table = []
        for submission in sorted(found.submissions, key=lambda s: s.student.id):
            row = {"student": submission.student.id, "score": submission.score,
                   "max_score": submission.max_score,
                   "late_penalty": submission.late_submission_penalty or 0.0,
                   "timestamp": submission.timestamp}
            human = 0.0
            for notebook in submission.notebooks:
                for grade in sorted(notebook.grades, key=lambda g: g.name):
                    row[grade.name] = grade.score
                    human += grade.score if grade.name in manual else 0.0
            row["score"] = round(submission.score - human, 4)
            row.update(manual_score=round(human, 4), manual_max=manual_max(course, assignment),
                       total=round(submission.score - row["late_penalty"], 4))
            table.append(row)
        return table


def csv_text(table) -> str:
    """rows() as CSV (the columns of the first row; the basic ones when there is none)."""
    buffer = io.StringIO()
    fields = list(table[0]) if table else ["student", "score", "max_score", "late_penalty"]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buffer.getvalue()
