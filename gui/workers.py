"""Run slow work (queries, exports) off the GUI thread, with progress and cancel.

`Job(fn, *args, **kw)` is a QThread that calls `fn(*args, progress=..., cancelled=..., **kw)`.
`progress(done, total, message)` is forwarded as the `progress` signal; `cancelled()` turns
true after `cancel()`. The outcome arrives as exactly one of `succeeded(result)`,
`failed(message)` (Korean, from a DureError or a generic message) or `was_cancelled()`,
then `finished` (QThread's own) fires.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal

from db.errors import DureError

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised by work that noticed `cancelled()` and stopped early."""


class Job(QThread):
    """One piece of work on its own thread; signals arrive queued on the GUI thread."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    was_cancelled = Signal()

    def __init__(self, fn: Callable[..., Any], *args: Any, parent: QObject | None = None,
                 pass_controls: bool = True, **kwargs: Any) -> None:
        super().__init__(parent)
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._pass_controls = pass_controls
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop; it checks `cancelled()` between steps."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, done: int, total: int, message: str = "") -> None:
        self.progress.emit(int(done), int(total), str(message))

    def run(self) -> None:
        kwargs = dict(self._kwargs)
        if self._pass_controls:
            kwargs.update(progress=self._report, cancelled=self._cancel.is_set)
        try:
            result = self._fn(*self._args, **kwargs)
        except Cancelled:
            self.was_cancelled.emit()
        except DureError as exc:
            if self._cancel.is_set():
                self.was_cancelled.emit()
            else:
                self.failed.emit(str(exc))
        except Exception as exc:  # a bug must reach the user as a message, not kill the thread
            if self._cancel.is_set():
                self.was_cancelled.emit()
            else:
                log.exception("background job failed")
                self.failed.emit(f"작업 중 예기치 않은 오류가 발생했습니다: {exc}")
        else:
            if self._cancel.is_set():
                self.was_cancelled.emit()
            else:
                self.succeeded.emit(result)


# Running jobs are kept here, not parented to a widget: a widget closed mid-job must not
# destroy a running QThread (Qt aborts the process then). They leave the set when finished.
_RUNNING: set[Job] = set()


def make_job(fn: Callable[..., Any], *args: Any, pass_controls: bool = True,
             **kwargs: Any) -> Job:
    """A Job kept alive until it finishes: connect its signals, then call `start()`.

    Connect before starting: a signal emitted before its connection is lost.
    """
    job = Job(fn, *args, pass_controls=pass_controls, **kwargs)
    _watch_quit()
    _RUNNING.add(job)
    job.finished.connect(lambda: _release(job))
    return job


def start_job(fn: Callable[..., Any], *args: Any, pass_controls: bool = True,
              **kwargs: Any) -> Job:
    """Create a Job and start it on the next turn of the event loop.

    The deferred start lets the caller connect signals right after this returns without
    racing a fast job (a queued signal emitted before its connection is lost).
    """
    job = make_job(fn, *args, pass_controls=pass_controls, **kwargs)
    QTimer.singleShot(0, job, job.start)
    return job


_QUIT_WATCHED = False


def _watch_quit() -> None:
    """On application quit, stop and wait for running jobs (a live QThread aborts Qt's exit)."""
    global _QUIT_WATCHED

    app = QCoreApplication.instance()
    if _QUIT_WATCHED or app is None:
        return
    _QUIT_WATCHED = True
    app.aboutToQuit.connect(_stop_all)


def _stop_all() -> None:
    cancel_all()
    wait_all()


def _release(job: Job) -> None:
    _RUNNING.discard(job)
    job.deleteLater()


def running_jobs() -> int:
    """How many jobs are still running (the window waits for them before it closes)."""
    return sum(1 for j in _RUNNING if j.isRunning())


def wait_all(timeout_ms: int = 10_000) -> bool:
    """Cancel nothing, wait for every running job; True when all finished in time."""
    deadline_ok = True
    for job in list(_RUNNING):
        deadline_ok = job.wait(timeout_ms) and deadline_ok
    return deadline_ok


def cancel_all() -> None:
    """Ask every running job to stop (window closing)."""
    for job in list(_RUNNING):
        job.cancel()
