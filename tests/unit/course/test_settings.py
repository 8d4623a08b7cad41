"""course.settings: an assignment's grading.toml parsed, defaults where it is silent, and a
typo or a wrong kind of value as one line naming the file (exit 2 through Course)."""
import pytest

from gradekit.course.layout import Course, CourseError
from gradekit.course.settings import Settings, SettingsError, TimeLimits, parse, read_toml


def test_a_full_file_parses_into_settings():
    settings = parse({"api": ["f", "G"], "experiment_cells": ["plot"],
                      "limits": {"call_s": 5, "budget_s": 60.5},
                      "sandbox": {"preload": ["matplotlib.pyplot"]},
                      "audit": {"wrap_calls": {"g": "h({})", "f": "abs({})"}}}, "grading.toml")
    assert settings == Settings(api=("f", "G"), experiment_cells=("plot",),
                                limits=TimeLimits(call_s=5.0, load_s=60.0, budget_s=60.5),
                                preload=("matplotlib.pyplot",),
                                wrap_calls=(("f", "abs({})"), ("g", "h({})")))
    assert type(settings.limits.call_s) is float


def test_an_empty_file_gives_the_defaults():
    assert parse({}, "grading.toml") == Settings()
    assert TimeLimits().sandbox_keywords() == {"call_timeout": 10.0, "load_timeout": 60.0,
                                               "budget_s": 120.0}


@pytest.mark.parametrize("data, message", [
    ({"apis": ["f"]}, "unknown setting(s) apis"),
    ({"limits": {"call": 3}}, "unknown setting(s) limits.call"),
    ({"sandbox": {"preload": [], "pre_load": []}}, "unknown setting(s) sandbox.pre_load"),
    ({"limits": {"call_s": "ten"}}, "could not convert string to float"),
])
def test_typos_and_wrong_values_are_one_line_naming_the_file(data, message):
    with pytest.raises(SettingsError) as raised:
        parse(data, "graders/X/grading.toml")
    assert str(raised.value).startswith("graders/X/grading.toml: ")
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_read_toml_of_a_missing_file_is_empty_and_of_a_broken_one_an_error(tmp_path):
    assert read_toml(tmp_path / "absent.toml") == {}
    (tmp_path / "bad.toml").write_text("api = [\n")
    with pytest.raises(SettingsError, match="bad.toml: "):
        read_toml(tmp_path / "bad.toml")


def test_the_course_reads_an_assignments_file_once_and_reports_errors_as_course_errors(
        tmp_path):
    (tmp_path / "graders" / "A1").mkdir(parents=True)
    (tmp_path / "graders" / "A1" / "grading.toml").write_text("[limits]\ncall_s = 2\n")
    (tmp_path / "graders" / "A2").mkdir(parents=True)
    (tmp_path / "graders" / "A2" / "grading.toml").write_text("[limits]\ncall = 2\n")
    course = Course(tmp_path)
    assert course.settings("A1").limits.call_s == 2.0
    assert course.settings("A1") is course.settings("A1")
    with pytest.raises(CourseError, match=r"A2/grading.toml: unknown setting\(s\) limits.call"):
        course.settings("A2")
