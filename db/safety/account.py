"""Who is at the keyboard: the OS account from the system, never from $USER / $LOGNAME.

`getpass.getuser()` reads the environment first, so `LOGNAME="김과장(위조)"` would be written
into the history as is. The account behind this process's user id (POSIX: the password
database; Windows: GetUserNameW) is what the history and the lock name.
"""

from __future__ import annotations

import os
import sys

UNKNOWN = "알 수 없음"


def os_account() -> str:
    """The login name of the account running Dure, or UNKNOWN when the system has none."""
    if sys.platform == "win32":
        return _windows_account() or UNKNOWN
    try:
        # deferred: platform-specific (Windows or POSIX only)
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name or UNKNOWN
    except (KeyError, ImportError, OSError):  # a uid with no passwd entry (some containers)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else UNKNOWN


def _windows_account() -> str | None:
    # deferred: platform-specific (Windows or POSIX only)
    import ctypes
    from ctypes import wintypes

    size = wintypes.DWORD(257)
    buf = ctypes.create_unicode_buffer(size.value)
    if ctypes.windll.advapi32.GetUserNameW(buf, ctypes.byref(size)):  # type: ignore[attr-defined]
        return buf.value
    return None
