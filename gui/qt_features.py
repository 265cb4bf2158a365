"""PySide6's `__feature__` bookkeeping without reading every module's source.

Once PySide6 is imported, its import hook (shibokensupport/feature.py, PYSIDE-2029) reads the
whole source of every module imported after it, through inspect.getsource and linecache, to
learn whether the module mentions "PySide6": a module that does is switched to its own
`from __feature__ import snake_case, true_property` selection whenever it calls into Qt. Dure
selects no feature anywhere (tests/test_qt_features.py), so that selection is the default for
every module and the answer changes nothing. Reading the sources (282 of them while the window
loads SQLAlchemy, the models and the 현황 queries) was 6.7 % of that process's instructions
(callgrind: 3.116 -> 2.908 G), and linecache kept every source in memory.

`skip_source_scan()` answers "ignore this module" (PySide's own answer for a module without
source) for each later import instead. PySide's own modules keep their entry (made when they
were imported).
"""

from __future__ import annotations

import sys
from types import ModuleType

HOOK_MODULE = "shibokensupport.feature"


def _no_feature(_module: ModuleType) -> bool:
    """What PySide asks of each imported module: does it use `__feature__`? Not in Dure."""
    return False


def skip_source_scan() -> bool:
    """Answer PySide's per-import question without the source (True when it was asked)."""
    hook = sys.modules.get(HOOK_MODULE)
    if hook is None or not callable(getattr(hook, "_mod_uses_pyside", None)):
        return False  # another PySide6 than the one measured: leave it as it is
    setattr(hook, "_mod_uses_pyside", _no_feature)  # noqa: B010 - a module of PySide's own
    return True
