"""Shared helpers for the export tests: one demo database per module, PDF inspection."""

from __future__ import annotations

import atexit
import json
import os
import re
import secrets
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader

_demo_template: list[Path] = []
_demo_added: dict[str, int] = {}  # what load_demo returned when it built the template


def copy_database(template: Path, target: Path) -> Path:
    """A copy of a closed template database, with an identity of its own as a new file gets.

    Building a database runs every Alembic migration (about 0.35 s of CPU) and loading the demo
    another 1.4 s; the suite needs hundreds of them, so each kind is built once per process and
    copied. Tests of creation, migration and the demo load itself open their own files.
    """
    from db.safety.identity import set_identity

    shutil.copyfile(template, target)
    set_identity(target, secrets.token_bytes(8).hex())
    return target


def build_template(folder: Path, name: str, fill) -> Path:
    """A new database `folder/name.sqlite`, filled by `fill(database)` and closed."""
    from db.session import open_database

    saved = {key: os.environ.pop(key, None) for key in ("DURE_DATA_DIR", "DURE_DATABASE_URL")}
    os.environ["DURE_DATA_DIR"] = str(folder / "data")  # leave the user's folder untouched
    try:
        database = open_database(folder / f"{name}.sqlite")
        fill(database)
        path = database.path
        database.close()
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None)
            if value is not None:
                os.environ[key] = value
    assert path is not None and not Path(f"{path}-wal").exists(), "template left a WAL behind"
    return path


def organizations_template(folder: Path, name: str, count: int, pad: int) -> Path:
    """`count` enterprises named 기업 i with `pad` syllables each, saved once into a template."""
    from db.models import Organization
    from tests.db_helpers import save_all

    def fill(database) -> None:
        save_all(database, [Organization(name=f"기업 {i} " + "가" * pad, kind="기타")
                            for i in range(count)])

    return build_template(folder, name, fill)


@contextmanager
def _run_lock(name: str):
    """The folder the xdist workers of this run share (tests/xdist_plugin.py), locked for
    `name`: the first worker builds the template there, the others wait and find it built.
    None (and no lock) in a serial run or where fcntl is missing."""
    shared = os.environ.get("DURE_TEST_TEMPLATES")
    try:
        import fcntl
    except ImportError:  # Windows: each process builds its own, as in a serial run
        shared = None
    if not shared:
        yield None
        return
    with open(Path(shared) / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield Path(shared)


def shared_template(name: str, fill) -> tuple[Path, dict]:
    """(template `name`, what `fill(database)` returned), built once per xdist run when the
    workers share a folder, else once per call into a new temporary folder of this process."""
    with _run_lock(name) as shared:
        if shared is not None and (shared / f"{name}.json").exists():
            return shared / f"{name}.sqlite", json.loads((shared / f"{name}.json").read_text())
        folder = Path(tempfile.mkdtemp(prefix=f"dure-{name}-template-"))
        owner = os.getpid()  # a forked child (mutmut's mutants) must not remove it at its exit
        atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, True))
        result: dict = {}
        path = build_template(folder, name, lambda database: result.update(fill(database) or {}))
        if shared is None:
            return path, result
        shutil.copyfile(path, shared / f"{name}.sqlite")
        (shared / f"{name}.json").write_text(json.dumps(result))  # last: marks it complete
        return shared / f"{name}.sqlite", result


def demo_template() -> Path:
    """The demo records loaded once into a closed file (per run under xdist, else per process):
    copy it, never open it."""
    if not _demo_template:
        from db.demo import load_demo

        path, added = shared_template("demo", load_demo)
        _demo_template.append(path)
        _demo_added.update(added)
    return _demo_template[0]


def demo_added() -> dict[str, int]:
    """The rows per table load_demo added to the empty database that became the template."""
    demo_template()
    return dict(_demo_added)


def open_demo(folder: Path):
    """A migrated SQLite database in `folder` with the demo records loaded."""
    from db.session import open_database

    return open_database(copy_database(demo_template(), folder / "demo.sqlite"))


def squash(text: str) -> str:
    """Text without any whitespace: wrapped PDF lines compare equal to the source."""
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    """All pages' text, whitespace removed."""
    reader = PdfReader(str(path))
    return squash("".join(page.extract_text() or "" for page in reader.pages))


def pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(BaseFont, embedded as TrueType) of every font any page uses."""
    reader = PdfReader(str(path))
    out = []
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font")
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            out.append((str(font["/BaseFont"]), embedded))
    return out


def assert_only_bundled_fonts(path: Path) -> None:
    """Every font is a NanumGothic subset embedded in the file."""
    fonts = pdf_fonts(path)
    assert fonts, "no fonts found"
    for name, embedded in fonts:
        assert "NanumGothic" in name, name
        assert embedded, f"{name} is not embedded"
