"""Checks of one submission at the same time: a grading lasts about its longest check.

After collection the grader modules are spread over `slots` groups by their declared cost
(`@pytest.mark.cost(seconds)`, default DEFAULT_COST per test; whole modules stay together,
so their module-level caches and fixtures serve all their tests).  The first group runs here
on the loaded sandbox; every other group runs in a fork of this trusted process, against a
fork of the loaded sandbox interpreter (Sandbox.fork: the same confined process, copied), and
sends back only its TestResults, artifacts and durations.  Groups are fixed by the
collection, never by timing, so every run grades the same way.
"""
import os
import pickle
import traceback

DEFAULT_COST = 0.05     # seconds: a check that declares nothing (most take milliseconds)
ENV = "GRADEKIT_CHECK_SLOTS"


def check_slots():
    """How many groups a grading's checks run in: the cores this process may use.

    GRADEKIT_CHECK_SLOTS overrides it (1 = one after the other, as before); the benchmark
    measures both.
    """
    if os.environ.get(ENV, "").strip().isdigit():
        return max(1, int(os.environ[ENV]))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:   # not Linux
        return max(1, os.cpu_count() or 1)


def cost(item):
    marker = item.get_closest_marker("cost")
    return float(marker.args[0]) if marker else DEFAULT_COST


def partition(items, slots):
    """[[item indices]] per group, heaviest module first to the lightest group (LPT)."""
    modules = {}
    for index, item in enumerate(items):
        modules.setdefault(item.nodeid.split("::")[0], []).append(index)
    weight = {name: sum(cost(items[i]) for i in indices) for name, indices in modules.items()}
    groups = [[0.0, []] for _ in range(min(slots, len(modules)))]
    for name in sorted(modules, key=lambda n: (-weight[n], n)):
        lightest = min(groups, key=lambda g: g[0])
        lightest[0] += weight[name]
        lightest[1] += modules[name]
    return [sorted(indices) for _, indices in sorted(groups, key=lambda g: -g[0]) if indices]


def run_items(session, items):
    """pytest's own run loop over a subset (fixtures torn down as the subset goes)."""
    for position, item in enumerate(items):
        following = items[position + 1] if position + 1 < len(items) else None
        item.config.hook.pytest_runtest_protocol(item=item, nextitem=following)
        if session.shouldfail or session.shouldstop:
            break


def run_loop(plugin, session, slots):
    """Run the session's items in `slots` groups; True when it ran them (a pytest hook)."""
    items = session.items
    groups = partition(items, slots)
    children = []
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
        found = _collect(pid, reader)
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


def _collect(pid, reader):
    """What a trusted fork sent (None when it failed)."""
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    return pickle.loads(data)
