"""Qt's Korean catalogues and Dure's own: 예/아니요/확인/취소, the print and file dialogs.

A leaf (Qt only) used by gui/app.py at start and by gui/main_window.py however it started.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
# Dure's own catalogue of the strings qtbase_ko leaves English ("&Look in:", "Page &Set:")
OWN_CATALOGUE = RESOURCES / "translations" / "dure_qt_ko.qm"

QT_CATALOGUES = ("qtbase",)  # buttons, file and print dialogs (qt_ko.qm only points to it)


def translations_dir() -> Path:
    """Where Qt's own catalogues are: Qt's reported path, else PySide6's folder (frozen)."""
    reported = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if (reported / "qtbase_ko.qm").is_file():
        return reported
    # deferred: loads after the window shows (start-up, gui/app.py)
    import PySide6

    return Path(PySide6.__file__).resolve().parent / "Qt" / "translations"


def install_translations(app: QApplication) -> list[QTranslator]:
    """Load Qt's Korean catalogues once: 예/아니요/확인/취소, the print and file dialogs.

    Without them every standard button and dialog of Qt stays English (docs/facts.md). The
    locale is Korean whatever the PC's setting, as the rest of the desk is.
    """
    loaded = getattr(app, "_dure_translators", None)
    if loaded is not None:
        return loaded
    QLocale.setDefault(QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea))
    folder = str(translations_dir())
    loaded = []
    for name, where in [*((f"{n}_ko", folder) for n in QT_CATALOGUES),
                        (OWN_CATALOGUE.stem, str(OWN_CATALOGUE.parent))]:
        translator = QTranslator(app)
        if translator.load(name, where):  # the last installed is asked first
            app.installTranslator(translator)
            loaded.append(translator)
    app._dure_translators = loaded  # type: ignore[attr-defined]
    return loaded
