"""The attempt statuses: their values are stored in course databases and shown in JSON."""
import json

from gradekit.attempts import table
from gradekit.attempts.states import FINAL, PENDING, Status


def test_values_are_the_stored_ones():
    assert [s.value for s in Status] == ["queued", "grading", "graded", "rejected", "refused",
                                         "error"]
    assert set(PENDING) | set(FINAL) == set(Status) and not set(PENDING) & set(FINAL)
    assert (table.PENDING, table.FINAL) == (PENDING, FINAL)


def test_a_status_reads_and_serialises_as_its_value():
    assert json.dumps({"status": Status.REJECTED}) == '{"status": "rejected"}'
    assert f"{Status.GRADED}" == str(Status.GRADED) == "graded"
    assert Status("error") is Status.ERROR and Status.QUEUED == "queued"
