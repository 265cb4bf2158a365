"""Keeping records safe: backups and restore, integrity checks, the one-desk lock.

Submodules are imported directly (`from db.safety.backup import backup_to`): db.session
imports `integrity` and `lock` while `backup` imports db.session, so this package stays empty.
"""
