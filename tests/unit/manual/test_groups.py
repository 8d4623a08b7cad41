"""Answer groups: normalisation, blanks and duplicates, groups by meaning, order, outliers."""
import random

import pytest

from gradekit.manual.groups import Group, _outliers, group_texts, group_vectors, normalise

SOLUTION = "No: far from the data the boundaries of different runs disagree, so the network " \
           "extrapolates arbitrarily there and cannot be trusted."
CLASS = {   # three ideas, written with typos, case and word order changed
    "ada": "No, far from the data the boundaries of the runs disagree.",
    "ben": "no - the boundaries disagree far from the data for different runs",
    "cyd": "NO. Far from the data, boundaries of different runs dissagree!",
    "dan": "Far from data the boundries of the runs disagree, so no.",
    "eva": "Yes, the model learned XOR perfectly and is reliable everywhere.",
    "fay": "yes it learned xor perfectly, it is reliable everywhere",
    "gus": "Yes. It is reliable everywhere because it learned XOR perfectly",
    "hal": "The learning rate alpha was too small to converge in time.",
    "ivy": "alpha the learning rate was too small, it did not converge in time",
    "jan": "",
    "kim": "  \n ",
    "lea": "?!",
}


def test_normalise_folds_case_accents_punctuation_and_number_words():
    assert normalise("  Two HIDDEN-units,\tone   output!") == "2 hidden units 1 output"
    assert normalise("Dvě skryté jednotky") == "2 skryte jednotky"
    assert normalise("2 hidden units") == normalise("two hidden units")
    assert normalise("?! ...") == ""


def test_every_answer_in_exactly_one_group_blanks_first():
    found = group_texts(CLASS, SOLUTION)
    members = [m for g in found for m in g.members]
    assert sorted(members) == sorted(CLASS)
    assert found[0] == Group(0, "blank", ("jan", "kim", "lea"), ())
    assert [g.number for g in found] == list(range(len(found)))


def test_groups_follow_the_ideas_and_the_closest_to_the_solution_comes_first():
    found = group_texts(CLASS, SOLUTION)
    as_sets = [set(g.members) for g in found[1:]]
    assert as_sets == [{"ada", "ben", "cyd", "dan"}, {"eva", "fay", "gus"}, {"hal", "ivy"}] \
        or as_sets == [{"ada", "ben", "cyd", "dan"}, {"hal", "ivy"}, {"eva", "fay", "gus"}]
    for group in found[1:]:   # the label's words are the group's, found in no other group
        inside = [normalise(CLASS[m]).split() for m in group.members]
        outside = {w for k in set(CLASS) - set(group.members) for w in normalise(CLASS[k]).split()}
        for term in group.label.split(", "):
            assert all(w in words for words in inside for w in term.split()), group
            assert not set(term.split()) <= outside, group


def test_exact_duplicates_after_normalisation_share_a_group_and_a_distance():
    answers = dict(CLASS, zed="no far from the data the boundaries of the runs disagree",
                   ada="No, far from the data the boundaries of the runs disagree.")
    group = next(g for g in group_texts(answers, SOLUTION) if "ada" in g.members)
    assert abs(group.members.index("ada") - group.members.index("zed")) == 1


def test_same_groups_whatever_the_order_of_the_input():
    keys = list(CLASS)
    random.Random(3).shuffle(keys)
    assert group_texts({k: CLASS[k] for k in keys}, SOLUTION) == group_texts(CLASS, SOLUTION)


def test_a_lone_answer_and_no_solution_still_group():
    assert group_texts({"a": "sigmoid units"}, "") == [Group(1, "sigmoid, units", ("a",), ())]
    assert group_texts({}, SOLUTION) == []


def test_outliers_are_far_beyond_their_groups_typical_distance():
    names = list("abcdef")
    assert _outliers(names, [0.10, 0.11, 0.12, 0.10, 0.13, 0.62]) == ("f",)
    assert _outliers(names, [0.10, 0.15, 0.20, 0.25, 0.30, 0.35]) == ()   # evenly spread
    assert _outliers(names[:3], [0.10, 0.11, 0.90]) == ()   # too few to say what is typical


def test_plot_vectors_group_by_closeness_nothing_drawn_first():
    features = {"ann": [1.0, 0.0], "bob": [0.99, 0.01], "cat": [0.4, 1.0], "dee": None,
                "eli": [0.41, 0.98], "fox": [1.0, 0.0]}
    found = group_vectors(features, [1.0, 0.0])
    assert found[0] == Group(0, "nothing drawn", ("dee",), ())
    assert [set(g.members) for g in found[1:]] == [{"ann", "bob", "fox"}, {"cat", "eli"}]
    assert found[1].label == "like the reference" and "from the reference" in found[2].label
    assert found[1].members[-1] == "bob"   # the one off the group's centre comes last


def test_plot_groups_take_their_labels_from_the_hook():
    def describe(centre):
        return f"agrees {centre[0]:.0%}"
    found = group_vectors({"a": [0.5, 0.5], "b": [0.9, 0.1]}, [1.0, 0.0], describe=describe)
    assert [g.label for g in found] == ["agrees 90%", "agrees 50%"]
    assert group_vectors({"a": None}, [1.0]) == [Group(0, "nothing drawn", ("a",), ())]
    unordered = group_vectors({"a": [0.0], "b": [1.0], "c": [1.0]}, [])   # no reference
    assert [g.members for g in unordered] == [("b", "c"), ("a",)]


@pytest.mark.parametrize("answers", [{"a": "x"}, {"a": "same", "b": "Same!"}])
def test_tiny_classes(answers):
    found = group_texts(answers, "")
    assert len(found) == 1 and set(found[0].members) == set(answers)
