"""The wire between the trusted side and a running sandbox interpreter: one JSON line a
request on its requests pipe, one JSON line an answer on its answers pipe, decoded as plain
values only (inside/codec.py); a dead or silent interpreter is a StudentError saying how."""
import json
import os
import selectors
import signal
import time

from .outcomes import StudentError


def codec():
    """codec.py imports numpy (~0.1 s): a cold grading launches its sandbox first."""
    from .inside import codec
    return codec


class Wire:
    """The pipes of a Sandbox's running interpreter (`process`, a starters.Started, and the
    bytes read past the last answer, `_buffer`)."""

    def _send(self, message):
        try:
            os.write(self.process.requests, json.dumps(message).encode() + b"\n")
        except (BrokenPipeError, OSError):
            raise StudentError("crashed", self._death())

    def _receive(self, timeout):
        """Next JSON line from the sandbox, or StudentError on timeout or death."""
        end = time.monotonic() + max(0.0, timeout)
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.answers, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = end - time.monotonic()
                if left <= 0:
                    raise StudentError("timeout", f"did not finish within {timeout:.0f} s")
                if not selector.select(left):
                    continue
                chunk = os.read(self.process.answers, 1 << 20)
                if not chunk:
                    raise StudentError("crashed", self._death())
                self._buffer += chunk
                if len(self._buffer) > codec().MAX_ANSWER_BYTES:
                    raise StudentError("bad_value", f"answer larger than "
                                                    f"{codec().MAX_ANSWER_BYTES >> 20} MB")
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            answer = codec().loads_answer(line)
        except codec().NotPlain as exc:
            raise StudentError("bad_value", str(exc)) from None
        if type(answer) is not dict:
            raise StudentError("bad_value", "garbled answer from the sandbox (fd 4 was written to)")
        return answer

    def _death(self):
        code = self.process.exit_code(5) if self.process else None
        if code is not None and code < 0:
            return f"the interpreter was killed by {signal.Signals(-code).name}"
        if code is None:
            return "the interpreter ended (os._exit or a crash)"
        return f"the interpreter exited (exit code {code}; os._exit or a crash)"

    def _tail(self):
        return self.process.tail() if self.process else ""
