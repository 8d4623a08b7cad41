"""Checks at the same time: sandbox copies (twins) are as confined as their sandbox, start from
its loaded state, fail on their own; a grading in groups gives exactly the grading in turn.

The sandbox tests run twice, with bubblewrap (where installed) and with the forced fallback.
"""
import socket
from types import SimpleNamespace

import pytest

from gradekit.course.layout import Course
from gradekit.grading.parallel import partition
from gradekit.grading.run import grade_path
from gradekit.sandbox import Sandbox, StudentError

COURSE = Course(__file__.rsplit("/tests/", 1)[0])


def start(code, **kwargs):
    return Sandbox([("cell 1", code)], **kwargs).start()


def confinement_probe(course_root, port):
    """A student function that reports everything its confinement decides."""
    return f"""
import os, resource, socket
def probe():
    found = {{"uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups()}}
    found["limits"] = [resource.getrlimit(getattr(resource, name)) for name in
                       ("RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_NPROC", "RLIMIT_FSIZE",
                        "RLIMIT_NOFILE", "RLIMIT_CORE")]
    status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    for key in ("NoNewPrivs", "Seccomp", "CapEff", "CapBnd"):
        found[key] = status.get(key, "").strip()
    for key, attempt in (("read", lambda: open({str(course_root / 'reference' / 'ML06' / 'mlp.py')!r}).read(9)),
                         ("list", lambda: len(os.listdir({str(course_root)!r}))),
                         ("connect", lambda: socket.create_connection(("127.0.0.1", {port}), timeout=2).close()),
                         ("write_etc", lambda: open("/etc/gradekit-twin", "w").close())):
        try:
            attempt()
            found[key] = "allowed"
        except Exception as exc:
            found[key] = type(exc).__name__
    found["namespaces"] = sorted(os.readlink(f"/proc/self/ns/{{n}}") for n in ("mnt", "net", "pid", "uts", "ipc", "user"))
    return found
"""


def test_a_twin_is_exactly_as_confined_as_its_sandbox(sandbox_mode, course_root):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    with listener, start(confinement_probe(course_root, listener.getsockname()[1])) as sandbox:
        twin = sandbox.fork()
        assert twin is not None
        try:
            assert twin.level == sandbox.level and twin.level.startswith(sandbox_mode)
            original, copy = sandbox.call("probe"), twin.call("probe")
            assert copy == original
            assert original["read"] != "allowed" and original["list"] != "allowed"
            assert original["connect"] != "allowed" and original["write_etc"] != "allowed"
        finally:
            twin.close()


def test_a_twin_starts_from_the_loaded_state_and_keeps_its_own(sandbox_mode):
    code = "count = 10\ndef bump():\n    global count\n    count += 1\n    return count\n"
    with start(code) as sandbox:
        twin = sandbox.fork()
        try:
            assert [sandbox.call("bump"), sandbox.call("bump")] == [11, 12]
            assert twin.call("bump") == 11
            assert sandbox.call("bump") == 13
        finally:
            twin.close()


def test_a_fatal_call_in_a_twin_costs_the_twin_one_call(sandbox_mode):
    code = "import os\ncount = 0\ndef bye(): os._exit(0)\n" \
           "def hang():\n    while True: pass\ndef ok():\n    return 'ok'\n"
    with start(code, call_timeout=1.5) as sandbox:
        twin = sandbox.fork()
        try:
            with pytest.raises(StudentError) as caught:
                twin.call("bye")
            assert caught.value.kind == "crashed"
            assert twin.call("ok") == "ok"        # a fresh sandbox of its own
            with pytest.raises(StudentError) as caught:
                twin.call("hang")
            assert caught.value.kind == "timeout"
            assert sandbox.call("ok") == "ok"     # the original never noticed
        finally:
            twin.close()


def test_no_twin_of_a_sandbox_out_of_budget():
    sandbox = Sandbox([("cell 1", "while True: pass")], load_timeout=30, budget_s=1.0).start()
    try:
        assert sandbox.exhausted and sandbox.fork() is None
    finally:
        sandbox.close()


def item(nodeid, seconds=None, uses=()):
    """A collected check as partition sees it: its id, declared cost and fixtures."""
    marker = SimpleNamespace(args=(seconds,)) if seconds is not None else None
    info = SimpleNamespace(name2fixturedefs={f"fixture{i}": [f] for i, f in enumerate(uses)})
    return SimpleNamespace(nodeid=nodeid, get_closest_marker=lambda name: marker,
                           _fixtureinfo=info)


def test_groups_keep_checks_sharing_a_fixture_together_heaviest_first():
    trained = SimpleNamespace(scope="module")    # e.g. test_train's short_run
    per_run = SimpleNamespace(scope="session")   # every group sets up its own
    items = [item("test_a.py::one", uses=[trained, per_run]), item("test_b.py::slow", 2.0),
             item("test_a.py::two", uses=[trained]), item("test_c.py::mid", 0.7),
             item("test_b.py::quick", uses=[per_run]), item("test_d.py::x")]
    # test_b's quick check shares only a session fixture with its slow neighbour: it goes
    # to the lighter group, so the grading lasts about the slow check alone
    assert partition(items, 2) == [[1], [0, 2, 3, 4, 5]]
    assert partition(items, 1) == [[0, 1, 2, 3, 4, 5]]
    assert partition(items, 9) == [[1], [3], [0, 2], [4], [5]]


def test_ml06s_longest_check_runs_alone_in_two_groups():
    """Collected for real: the own-XOR training alone, test_train's short run together."""
    from gradekit.grading.kept import KeptSession
    from gradekit.grading.run import graders_modules, no_plugin_autoload, pytest_args
    graders = COURSE.graders_dir("ML06")
    with graders_modules(graders), no_plugin_autoload():   # as a warm worker collects them
        kept = KeptSession(graders, pytest_args(graders))
    collected = kept.session.items
    kept.close()
    groups = [[collected[i].nodeid.split("/")[-1] for i in g] for g in partition(collected, 2)]
    assert groups[0] == ["test_xor.py::test_own_mlp_solves_xor"]
    short_run = {"test_train.py::test_reduces_loss", "test_train.py::test_updates_both_layers",
                 "test_train.py::test_loss_history_is_consistent"}
    assert short_run <= set(groups[1])


@pytest.mark.slow
def test_a_grading_in_groups_is_the_grading_in_turn():
    path = COURSE.reference_dir("ML06") / "mlp.py"
    in_turn = grade_path(COURSE, "ML06", path, check_slots=1)
    grouped = grade_path(COURSE, "ML06", path, check_slots=2)
    assert (in_turn.timing["groups"], grouped.timing["groups"]) == (1, 2)
    assert [(t.name, t.score, t.status, t.output) for t in grouped.tests] == \
        [(t.name, t.score, t.status, t.output) for t in in_turn.tests]
    assert grouped.score == in_turn.score == pytest.approx(10.0)
    assert sorted(grouped.artifacts) == sorted(in_turn.artifacts) != []
