"""A shared office on PostgreSQL: row versions and conflicts, users and roles, live refresh,
moving a database in and out, server backups (issue 12).

Every module here also works (or is a no-op) on a single-PC SQLite file, so the write path
calls it unconditionally.
"""
