"""Tasks 1, 2, 5: the short answers."""
import pytest

from gradekit.grading.checks import scalar

pytestmark = pytest.mark.cell("test_answers")


@pytest.mark.points(0.3)
@pytest.mark.hidden
def test_task1_one_perceptron_is_not_enough(student):
    answer = scalar(student.value("ANSWER_TASK1"), "ANSWER_TASK1")
    assert type(answer) is bool or answer in (0, 1), "ANSWER_TASK1 should be True or False"
    assert not answer, "ANSWER_TASK1 is wrong: can one line separate data_1?"


@pytest.mark.points(0.3)
@pytest.mark.hidden
def test_task2_number_of_linear_boundaries(student):
    answer = scalar(student.value("ANSWER_TASK2"), "ANSWER_TASK2")
    assert answer == 2, "ANSWER_TASK2 is wrong: count the lines needed to separate data_1"


@pytest.mark.points(0.4)
@pytest.mark.hidden
def test_task5_number_of_weights(student):
    answer = scalar(student.value("ANSWER_TASK5"), "ANSWER_TASK5")
    assert answer == 9, "ANSWER_TASK5 is wrong: count every weight of 2-2-1, biases included"
