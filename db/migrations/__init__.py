"""Alembic migrations, applied automatically when a database is opened (see db.session)."""
