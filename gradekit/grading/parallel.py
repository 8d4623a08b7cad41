"""Checks of one submission at the same time: a grading lasts about its longest check.

After collection the checks are spread over `slots` groups by their declared cost
(`@pytest.mark.cost(seconds)`, default DEFAULT_COST per test).  Checks that share a
module-, class- or package-scoped fixture stay together, so it is set up once for all of
them; any other check may go to another group than its module's neighbours (a module-level
cache is then filled per group: each group is its own process).  The first group runs here
on the loaded sandbox; every other group runs in a fork of this trusted process, against a
fork of the loaded sandbox interpreter (Sandbox.fork: the same confined process, copied), and
sends back only its TestResults, artifacts and durations.  Groups are fixed by the
collection, never by timing, so every run grades the same way.
"""
import os
import pickle
import select
import signal
import threading
import time
import traceback

DEFAULT_COST = 0.05     # seconds: a check that declares nothing (most take milliseconds)
ENV = "GRADEKIT_CHECK_SLOTS"


def check_slots():
    """How many groups a grading's checks run in: the cores that are free right now.

    Chosen from the benchmark's figures (docs/performance.md): on an idle machine, checks at
    the same time take a third off a warm upload; with every core busy (a batch on all
    workers) they cost 45 % of the throughput.  So: the cores this process may use minus the
    tasks running beside it (/proc/loadavg's instantaneous count, the least of three reads a
    millisecond apart), at least 1.  GRADEKIT_CHECK_SLOTS=N fixes it (1 = one after the
    other); the benchmark measures all three.
    """
    if os.environ.get(ENV, "").strip().isdigit():
        return max(1, int(os.environ[ENV]))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:   # not Linux
        return 1
    running = []
    for _ in range(3):
        try:
            with open("/proc/loadavg", encoding="ascii") as handle:
                running.append(int(handle.read().split()[3].split("/")[0]))
        except (OSError, ValueError, IndexError):
            return 1
        time.sleep(0.001)
    return max(1, min(cores, cores - (min(running) - 1)))


def cost(item):
    marker = item.get_closest_marker("cost")
    return float(marker.args[0]) if marker else DEFAULT_COST


SHARED_SCOPES = ("module", "class", "package")


def partition(items, slots):
    """[[item indices]] per group: units of checks sharing a fixture, heaviest first to the
    lightest group (LPT), ties broken by the unit's first check."""
    unit_of = list(range(len(items)))   # union-find over item indices

    def root(index):
        while unit_of[index] != index:
            unit_of[index] = unit_of[unit_of[index]]
            index = unit_of[index]
        return index

    first_user = {}
    for index, item in enumerate(items):
        for fixture in shared_fixtures(item):
            other = first_user.setdefault(fixture, index)
            unit_of[root(index)] = root(other)
    units = {}
    for index in range(len(items)):
        units.setdefault(root(index), []).append(index)
    weight = {key: sum(cost(items[i]) for i in indices) for key, indices in units.items()}
    groups = [[0.0, []] for _ in range(min(slots, len(units)))]
    for key in sorted(units, key=lambda k: (-weight[k], units[k][0])):
        lightest = min(groups, key=lambda g: g[0])
        lightest[0] += weight[key]
        lightest[1] += units[key]
    return [sorted(indices) for _, indices in sorted(groups, key=lambda g: -g[0]) if indices]


def shared_fixtures(item):
    """The fixtures wider than a test and narrower than the session that `item` uses (their
    definitions' identities): the checks using one of them must run in the same process."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    return [id(definition) for definitions in info.name2fixturedefs.values()
            for definition in definitions if definition.scope in SHARED_SCOPES]


def run_items(session, items):
    """pytest's own run loop over a subset (fixtures torn down as the subset goes)."""
    for position, item in enumerate(items):
        following = items[position + 1] if position + 1 < len(items) else None
        item.config.hook.pytest_runtest_protocol(item=item, nextitem=following)
        if session.shouldfail or session.shouldstop:
            break


_closing = []   # threads stopping the sandboxes of gradings that have ended


def close_later(sandbox):
    """Stop a finished grading's sandbox beside what comes next (its report, the next grading):
    killing it and checking that nothing of it is left takes tens of milliseconds.  Not a
    daemon: a process waits for it before it exits."""
    _closing[:] = [thread for thread in _closing if thread.is_alive()]
    thread = threading.Thread(target=sandbox.close, name="gradekit-sandbox-close")
    thread.start()
    _closing.append(thread)


def settle():
    """Wait for earlier sandboxes to be stopped (no thread may run while this process forks)."""
    while _closing:
        _closing.pop().join()


def run_loop(plugin, session, slots):
    """Run the session's items in `slots` groups; True when it ran them (a pytest hook)."""
    items = session.items
    groups = partition(items, slots)
    children = []
    settle()
    for group in groups[1:]:
        twin = plugin.proxy._sandbox.fork()
        if twin is None:   # cannot fork now: this group runs here, after the first
            groups[0] += group
            continue
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:   # the trusted fork: this group only, on its own sandbox copy
            os.close(reader)
            _child(plugin, session, [items[i] for i in group], twin, writer)
        os.close(writer)
        twin.release()   # the copy is the fork's to use and close
        children.append((pid, reader, group))
    run_items(session, [items[i] for i in sorted(groups[0])])
    for pid, reader, group in children:
        found = _collect(pid, reader, plugin.proxy._sandbox._left() + 10.0)
        if found is None:   # the fork died (a bug of ours): its checks run here again
            run_items(session, [items[i] for i in group])
        else:
            plugin.merge(found)
    return True


def _child(plugin, session, items, twin, writer):
    """In the trusted fork: run the group on the sandbox copy, send the findings, exit."""
    code = 1
    try:
        plugin.proxy._sandbox.release()   # the loaded sandbox stays the parent's
        plugin.proxy._sandbox = twin
        plugin.reset()
        run_items(session, items)
        twin.close()
        data = pickle.dumps(plugin.findings())
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:   # the parent grades this group itself; say why when debugging
        if os.environ.get("GRADEKIT_DEBUG"):
            os.write(2, traceback.format_exc().encode())
    finally:
        os._exit(code)


def _collect(pid, reader, patience):
    """What a trusted fork sent (None when it failed, or did not finish within the budget:
    it is killed, and its checks run here)."""
    chunks, end = [], time.monotonic() + patience
    with os.fdopen(reader, "rb", buffering=0) as pipe:
        while True:
            if not select.select([pipe], [], [], max(0.0, end - time.monotonic()))[0]:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            chunk = pipe.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if status != 0 or not chunks:
        return None
    return pickle.loads(b"".join(chunks))
