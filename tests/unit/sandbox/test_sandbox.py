"""The sandbox on its own: levels, limits, kills, restarts, what student code can reach.

Every test runs twice, with bubblewrap (where installed) and with the forced fallback.
"""
import os
import socket
import time

import numpy as np
import pytest

from gradekit.sandbox import ResourceLimits, Sandbox, StudentError
from gradekit.sandbox.reaper import processes_of


def start(units, **kwargs):
    sandbox = Sandbox([(f"cell {i + 1}", s) for i, s in enumerate(units)], **kwargs)
    return sandbox.start()


def test_level_is_reported(sandbox_mode):
    with start(["x = 1"]) as sandbox:
        assert sandbox.level.startswith(sandbox_mode)
        assert "rlimits" in sandbox.level


@pytest.mark.smoke
def test_calls_return_plain_values_only(sandbox_mode):
    code = """
import numpy as np
class Anything:
    def __eq__(self, other): return True
class Sub(np.ndarray): pass
def twice(x): return 2 * x
def anything(): return Anything()
def subclass(): return np.zeros(3).view(Sub)
def objects(): return np.array([1, 'a'], dtype=object)
def nan(): return np.array([np.nan, 1.0])
def pair(): return (np.ones((2, 1), dtype=np.float32), [1, 2.5])
"""
    with start([code]) as sandbox:
        np.testing.assert_array_equal(sandbox.call("twice", np.arange(3.0)), [0.0, 2.0, 4.0])
        for name, reason in [("anything", "Anything object"), ("subclass", "ndarray subclass"),
                             ("objects", "dtype object")]:
            with pytest.raises(StudentError, match=reason) as caught:
                sandbox.call(name)
            assert caught.value.kind == "bad_value"
        assert np.isnan(sandbox.call("nan")[0])
        column, items = sandbox.call("pair")
        assert column.dtype == np.float32 and column.shape == (2, 1) and items == [1, 2.5]


def test_failing_units_do_not_stop_loading(sandbox_mode):
    units = ["def f(): return 1", "raise ValueError('boom')", "import os; os._exit(3)",
             "while True: pass", "def g(): return 2"]
    with start(units, load_timeout=3.0) as sandbox:
        errors = {o.label: o.error for o in sandbox.outcomes}
        assert errors["cell 1"] is None and errors["cell 5"] is None
        assert "ValueError: boom" in errors["cell 2"]
        assert "exit code 3" in errors["cell 3"]
        assert "did not finish" in errors["cell 4"]
        assert (sandbox.call("f"), sandbox.call("g")) == (1, 2)


def test_timeout_kills_the_whole_tree(sandbox_mode):
    code = """
import os, signal, time
def stubborn():
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for _ in range(5):
        if os.fork() == 0:
            os.setsid()          # leave the process group, as a careful escapee would
            while True:
                time.sleep(0.1)
    while True:
        pass
def fine(): return 42
"""
    with start([code], call_timeout=1.5) as sandbox:
        uid = sandbox.process.uid
        started = time.monotonic()
        with pytest.raises(StudentError, match="did not finish") as caught:
            sandbox.call("stubborn")
        assert caught.value.kind == "timeout" and time.monotonic() - started < 10
        if uid is not None:
            assert processes_of(uid) == []
        assert sandbox.call("fine") == 42       # restarted and reloaded


def test_exit_and_crash_cost_one_call(sandbox_mode):
    code = "import os, sys\ndef bye(): os._exit(0)\ndef leave(): sys.exit(0)\ndef ok(): return 1"
    with start([code]) as sandbox:
        with pytest.raises(StudentError, match="exited") as caught:
            sandbox.call("bye")
        assert caught.value.kind == "crashed"
        with pytest.raises(StudentError, match="SystemExit"):
            sandbox.call("leave")
        assert sandbox.call("ok") == 1


def test_output_and_memory_are_bounded(sandbox_mode):
    code = """
import numpy as np
def chatty():
    for _ in range(200_000):
        print('x' * 500)
    return 1
def hog():
    return float(np.ones((60_000, 60_000)).sum())
"""
    with start([code], limits=ResourceLimits(memory_bytes=2 << 30)) as sandbox:
        assert sandbox.call("chatty") == 1
        printed = "".join(sandbox.printed)
        assert len(printed) < 10_000 and "more characters of output dropped" in printed
        with pytest.raises(StudentError, match="MemoryError|killed"):
            sandbox.call("hog")


def test_course_files_network_and_parent_are_out_of_reach(sandbox_mode, course_root):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    code = f"""
import os, socket
def read_reference():
    return open({str(course_root / 'reference' / 'ML06' / 'mlp.py')!r}).read()
def list_course():
    return os.listdir({str(course_root)!r})
def connect():
    socket.create_connection(('127.0.0.1', {port}), timeout=2).close()
    return 'connected'
def kill_parent():
    os.kill(os.getppid(), 9)
    return os.getppid()
def alive():
    return 'alive'
def kill_grader():
    os.kill({os.getpid()}, 9)
    return 'killed'
"""
    with listener, start([code]) as sandbox:
        for name in ("read_reference", "list_course", "connect"):
            with pytest.raises(StudentError, match="Error"):
                sandbox.call(name)
        # the grading process is out of sight (another pid namespace) or another uid (EPERM)
        with pytest.raises(StudentError, match="ProcessLookupError|PermissionError"):
            sandbox.call("kill_grader")
        # its parent is another uid (EPERM), or outside its pid namespace: getppid() is 0,
        # and as the namespace's init it cannot signal itself to death either
        try:
            assert sandbox.call("kill_parent") == 0
        except StudentError as error:
            assert "PermissionError" in str(error)
        assert sandbox.call("alive") == "alive"


def test_each_sandbox_starts_clean(sandbox_mode):
    code = "import os\ndef write(): open('left.txt', 'w').write('x'); return os.getcwd()\n" \
           "def look(): return sorted(os.listdir('.'))"
    with start([code]) as first:
        folder = first.call("write")
    with start([code]) as second:
        assert "left.txt" not in second.call("look")
    if sandbox_mode == "fallback":
        assert not os.path.exists(folder)   # the scratch folder is removed
