"""Alembic revisions; applied in order by :func:`mixmerge.storage.migrate.upgrade`."""
