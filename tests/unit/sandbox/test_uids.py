"""Sandbox uids: two sandboxes alive at once on this host never share one."""
import subprocess
import sys

import pytest

from gradekit.sandbox import uids


@pytest.fixture
def draws(monkeypatch):
    """draws(uid, ...): the uids the random draws give, in this order."""
    def set_draws(*sequence):
        values = iter(sequence)
        monkeypatch.setattr(uids.secrets, "randbelow", lambda n: next(values) - uids.FIRST)
    return set_draws


def test_a_uid_held_in_this_process_is_not_given_twice(draws):
    draws(61234, 61234, 62000)
    first, second = uids.reserve(), uids.reserve()
    assert (first, second) == (61234, 62000)
    uids.release(first)
    uids.release(second)


def test_a_uid_held_by_another_process_is_not_given(draws):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time; h = open(sys.argv[1], 'a'); "
         "fcntl.flock(h, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
         str(uids._folder() / "61234")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        draws(61234, 62000, 61234)
        uid = uids.reserve()
        assert uid == 62000
        uids.release(uid)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    again = uids.reserve()   # its holder died: free again
    assert again == 61234
    uids.release(again)
