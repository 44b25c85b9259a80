"""Alembic migrations of the pacsjobs schema (run automatically by ``open_store``)."""
