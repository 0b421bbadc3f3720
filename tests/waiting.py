"""Wait for a condition with a deadline instead of sleeping a fixed time and hoping."""
import time


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.05, message=None):
    """Call predicate() until it returns something truthy and return that; fail after `timeout` seconds.

    `message` (a string, or a callable for output that is only worth reading on failure) says what
    was awaited.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            said = message() if callable(message) else message or getattr(predicate, "__doc__", None)
            raise AssertionError(f"timed out after {timeout:g} s waiting: {said or predicate!r}")
        time.sleep(interval)
