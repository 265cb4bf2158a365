"""Child Pythons for tests, forked from one that has already imported Dure (POSIX only).

A test that starts a Dure child (a crash test's writer, a second desk, `main.py check`) paid
~1.3 s of CPU for the child to import SQLAlchemy, the models, Alembic and Qt before it did
anything. `Popen` and `run` here take the same arguments as `subprocess`'s for a command
`[sys.executable, SCRIPT | "-c" CODE, *args]` and start it instead by asking a zygote: a
Python that imported those modules once (no QApplication, no database, no thread) and forks.
The fork is a real, separate process: it gets the command's argv, environment, working folder
and its own stdin/stdout/stderr (the caller's pipes, passed over a Unix socket), runs the
script as `__main__`, and ends as a fresh interpreter would (non-daemon threads joined, atexit
handlers, its exit code, or the signal that killed it). It can be killed, crash, or exit on its
own; `returncode` is what `subprocess` would report.

What differs from a fresh interpreter: the modules above are already imported (their import
time is not part of the child's life), and every child shares the zygote's hash seed. Tests
of what a start imports, or of per-process hash order, start their Pythons with `subprocess`.
Where fork or pidfds are missing (Windows, macOS) `Popen` and `run` are subprocess's own.

    python tests/zygote.py FD      # the zygote itself (started by `server()`)
"""

from __future__ import annotations

import atexit
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PIPE, STDOUT, DEVNULL = subprocess.PIPE, subprocess.STDOUT, subprocess.DEVNULL
TimeoutExpired, CompletedProcess = subprocess.TimeoutExpired, subprocess.CompletedProcess

# What a Dure child of the tests imports first: the ORM and models, migrations, the write path,
# the importer, and Qt's widget modules (main.py's window). Importing these starts no thread.
PRELOAD = ("sqlalchemy.orm", "alembic.command", "alembic.runtime.migration", "db.session",
           "db.models", "db.service", "db.importer", "db.safety.restore", "openpyxl",
           "PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets")
SUPPORTED = hasattr(os, "fork") and hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")


# --- the zygote --------------------------------------------------------------------------------

def _serve(sock: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """Fork a child per request, report each child's pid and then its exit; return in a child."""
    children: dict[int, int] = {}  # pidfd -> pid
    while True:
        ready, _, _ = select.select([sock, *children], [], [])
        for fd in ready:
            if fd is sock:
                message, fds, _, _ = socket.recv_fds(sock, 1 << 20, 3)
                if not message:  # the tests' process is gone
                    os._exit(0)
                request = json.loads(message)
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    sock.close()
                    for pidfd in children:
                        os.close(pidfd)
                    return request, fds
                for f in fds:
                    os.close(f)
                children[os.pidfd_open(pid)] = pid
                sock.send(json.dumps({"pid": pid}).encode())
            else:
                pid = children.pop(fd)
                os.close(fd)
                _, status = os.waitpid(pid, 0)
                sock.send(json.dumps({"pid": pid, "code": os.waitstatus_to_exitcode(status)})
                          .encode())


def _become(request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: take the command's streams, folder, environment and argv; run it."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in set(fds):
        if fd > 2:
            os.close(fd)
    if request["cwd"]:
        os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    argv = request["argv"]
    if argv[0] == "-c":
        source, filename, sys.argv, sys.path[0] = argv[1], "<string>", ["-c", *argv[2:]], ""
    else:
        script = os.path.abspath(argv[0])
        source, filename, sys.argv = Path(script).read_bytes(), script, argv
        sys.path[0] = os.path.dirname(script)
    module = types.ModuleType("__main__")
    if filename != "<string>":
        module.__file__ = filename
    sys.modules["__main__"] = module
    code = compile(source, filename, "exec")
    exec(code, module.__dict__)  # noqa: S102 - the command's own script, as `python` runs it


def _zygote(fd: int) -> None:
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    assert threading.active_count() == 1, threading.enumerate()  # fork only a lone thread
    sock = socket.socket(fileno=fd)
    request, fds = _serve(sock)
    _become(request, fds)  # exceptions, SystemExit and the exit itself as in `python script`


# --- the tests' side ---------------------------------------------------------------------------

class _Server:
    """One zygote per tests' process, started when first asked, ended with the process."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
        # its own output (only a traceback if it fails) goes to a file, not to a test's capture
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the zygote
        self.proc = subprocess.Popen([sys.executable, __file__, str(theirs.fileno())],
                                     pass_fds=[theirs.fileno()], env=env, cwd=ROOT,
                                     stdin=DEVNULL, stdout=DEVNULL, stderr=self.log)
        theirs.close()
        self.sock = ours
        self.lock = threading.Lock()  # one spawn at a time: its reply is the next pid message
        self.changed = threading.Condition()
        self.started: list[int] = []
        self.codes: dict[int, int] = {}
        self.gone = False
        threading.Thread(target=self._read, name="dure-zygote", daemon=True).start()
        atexit.register(self.close)

    def _read(self) -> None:
        while True:
            try:
                message = self.sock.recv(1 << 16)
            except OSError:
                message = b""
            with self.changed:
                if not message:
                    self.gone = True
                    self.changed.notify_all()
                    return
                reply = json.loads(message)
                if "code" in reply:
                    self.codes[reply["pid"]] = reply["code"]
                else:
                    self.started.append(reply["pid"])
                self.changed.notify_all()

    def _wait_for(self, ready, timeout: float | None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.changed:
            while not ready():
                if self.gone:
                    self.log.seek(0)
                    raise RuntimeError(f"the test zygote ended (exit {self.proc.poll()}): "
                                       + self.log.read()[-2000:].decode(errors="replace"))
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self.changed.wait(left)
        return True

    def spawn(self, argv: list[str], env: dict[str, str], cwd: str | None, fds: list[int]) -> int:
        with self.lock:
            socket.send_fds(self.sock, [json.dumps({"argv": argv, "env": env, "cwd": cwd})
                                        .encode()], fds)
            self._wait_for(lambda: bool(self.started), 60)
            with self.changed:
                return self.started.pop(0)

    def code(self, pid: int, timeout: float | None) -> int | None:
        if not self._wait_for(lambda: pid in self.codes, timeout):
            return None
        return self.codes[pid]

    def close(self) -> None:
        """End the zygote and wait for it (its children's CPU is then counted as ours)."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the reader; the zygote reads the end
        except OSError:
            pass
        self.sock.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


_server: _Server | None = None


def server() -> _Server:
    global _server
    if _server is None or _server.gone:
        _server = _Server()
    return _server


def _argv(args: list[str]) -> list[str]:
    """The command after the interpreter: a script and its arguments, or -c CODE and its."""
    if not args or args[0] != sys.executable or len(args) < 2 or args[1].startswith("-") \
            and args[1] != "-c":
        raise ValueError(f"not a `python SCRIPT|-c CODE ...` command: {args!r}")
    return [str(a) for a in args[1:]]


class _Forked:
    """subprocess.Popen for `[sys.executable, SCRIPT | -c CODE, *args]`, forked by the zygote."""

    def __init__(self, args, stdin=None, stdout=None, stderr=None, text=False, env=None,
                 cwd=None):
        argv = _argv(list(args))
        self.args, self.returncode = args, None
        self.stdin = self.stdout = self.stderr = None
        mine: list[int] = []  # our ends of the pipes, wrapped below
        theirs: list[int] = []  # the child's ends, closed here once sent
        devnull = None

        def stream(how, default: int, write: bool) -> int:
            nonlocal devnull
            if how is None:
                return default
            if how == DEVNULL:
                devnull = devnull if devnull is not None else os.open(os.devnull, os.O_RDWR)
                return devnull
            if how == PIPE:
                read, written = os.pipe()
                ours, child = (read, written) if write else (written, read)
                mine.append(ours)
                theirs.append(child)
                return child
            return how if isinstance(how, int) else how.fileno()

        fds = [stream(stdin, 0, False), stream(stdout, 1, True)]
        fds.append(fds[1] if stderr == STDOUT else stream(stderr, 2, True))
        try:
            self.pid = server().spawn(argv, dict(os.environ if env is None else env),
                                      None if cwd is None else str(cwd), fds)
        finally:
            for fd in theirs:
                os.close(fd)
            if devnull is not None:
                os.close(devnull)
        mode = {True: "r", False: "w"}
        opened = iter(mine)
        for name, how, write in (("stdin", stdin, False), ("stdout", stdout, True),
                                 ("stderr", stderr, True)):
            if how == PIPE:
                fd = next(opened)
                setattr(self, name, open(fd, mode[write] + ("" if text else "b"),  # noqa: SIM115
                                         encoding="utf-8" if text else None))

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = server().code(self.pid, 0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = server().code(self.pid, timeout)
            if self.returncode is None:
                raise TimeoutExpired(self.args, timeout)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(9)

    def terminate(self) -> None:
        self.send_signal(15)

    def communicate(self, input=None, timeout: float | None = None):  # noqa: A002 - subprocess's
        if self.stdin is not None:
            if input:
                self.stdin.write(input)
            self.stdin.close()
        found: dict[str, Any] = {}

        def drain(name: str) -> None:
            stream = getattr(self, name)
            found[name] = stream.read()
            stream.close()

        readers = [threading.Thread(target=drain, args=(n,), daemon=True)
                   for n in ("stdout", "stderr") if getattr(self, n) is not None]
        for reader in readers:
            reader.start()
        deadline = None if timeout is None else time.monotonic() + timeout
        for reader in readers:
            reader.join(None if deadline is None else max(0, deadline - time.monotonic()))
            if reader.is_alive():
                raise TimeoutExpired(self.args, timeout)
        self.wait(None if deadline is None else max(0, deadline - time.monotonic()))
        return found.get("stdout"), found.get("stderr")

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        for stream in (self.stdin, self.stdout, self.stderr):
            if stream is not None:
                stream.close()
        self.wait()


# Where fork or pidfds are missing (Windows, macOS), the same calls start fresh Pythons.
Popen: Any = _Forked if SUPPORTED else subprocess.Popen


def run(args, *, capture_output=False, text=False, timeout=None, env=None, cwd=None,
        check=False, stdout=None, stderr=None, input=None) -> subprocess.CompletedProcess:  # noqa: A002
    """subprocess.run for the same commands as `Popen`."""
    if not SUPPORTED:
        return subprocess.run(args, capture_output=capture_output, text=text, timeout=timeout,
                              env=env, cwd=cwd, check=check, stdout=stdout, stderr=stderr,
                              input=input)
    if capture_output:
        stdout = stderr = PIPE
    proc = Popen(args, stdin=None if input is None else PIPE, stdout=stdout, stderr=stderr,
                 text=text, env=env, cwd=cwd)
    try:
        out, err = proc.communicate(input, timeout=timeout)
    except TimeoutExpired:
        proc.kill()
        proc.wait()
        raise
    if check and proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, args, out, err)
    return CompletedProcess(args, proc.returncode, out, err)


if __name__ == "__main__":
    _zygote(int(sys.argv[1]))
