"""Alembic migrations of mixmerge's own tables (version table ``mixmerge_alembic_version``)."""
