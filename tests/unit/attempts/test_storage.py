"""attempts.storage: archives never overwritten, atomic replacement, JSON lines that survive a
torn write, and a lock that really excludes another process."""
import json
import multiprocessing
import os
import time

from gradekit.attempts.storage import (append_json_line, locked, read_json_lines, write_new,
                                       write_replace)


def test_write_new_never_overwrites_and_numbers_a_clash(tmp_path):
    first = write_new(tmp_path / "uploads" / "a.py", b"one")
    second = write_new(tmp_path / "uploads" / "a.py", b"two")
    third = write_new(tmp_path / "uploads" / "a.py", b"three")
    assert [p.name for p in (first, second, third)] == ["a.py", "a-2.py", "a-3.py"]
    assert [p.read_bytes() for p in (first, second, third)] == [b"one", b"two", b"three"]
    assert (first.stat().st_mode & 0o777) == 0o640


def test_write_replace_replaces_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "counted" / "counted.json"
    write_replace(target, "first, longer text\n")
    write_replace(target, "second\n")
    assert target.read_text(encoding="utf-8") == "second\n"
    assert os.listdir(target.parent) == ["counted.json"]


def test_json_lines_round_trip_in_order_with_sorted_keys(tmp_path):
    log = tmp_path / "a" / "attempts.jsonl"
    assert read_json_lines(log) == []                       # no file yet: no records
    append_json_line(log, {"event": "received", "attempt": 1, "name": "Müller"})
    append_json_line(log, {"attempt": 1, "event": "graded"})
    assert read_json_lines(log) == [{"attempt": 1, "event": "received", "name": "Müller"},
                                    {"attempt": 1, "event": "graded"}]
    first = log.read_text(encoding="utf-8").splitlines()[0]
    assert first == json.dumps({"attempt": 1, "event": "received", "name": "Müller"},
                               sort_keys=True)


def test_a_torn_last_line_is_skipped_and_the_next_append_still_reads(tmp_path):
    log = tmp_path / "attempts.jsonl"
    append_json_line(log, {"attempt": 1})
    with open(log, "a", encoding="utf-8") as handle:
        handle.write('{"attempt": 2, "ev')                  # a crash in the middle of a write
    assert read_json_lines(log) == [{"attempt": 1}]
    with open(log, "a", encoding="utf-8") as handle:
        handle.write("\n")
    append_json_line(log, {"attempt": 3})
    assert read_json_lines(log) == [{"attempt": 1}, {"attempt": 3}]


def _hold(path, seconds, ready):
    with locked(path):
        ready.set()
        time.sleep(seconds)


def test_locked_excludes_another_process_until_released(tmp_path):
    lock = tmp_path / "student" / ".lock"
    ready = multiprocessing.get_context("fork").Event()
    holder = multiprocessing.get_context("fork").Process(target=_hold, args=(lock, 1.0, ready))
    holder.start()
    assert ready.wait(30)
    started = time.monotonic()
    with locked(lock):
        waited = time.monotonic() - started
    holder.join(30)
    assert waited > 0.5, f"the lock was taken after {waited:.2f} s while another process held it"
    with locked(lock):   # released again: taken at once
        pass
