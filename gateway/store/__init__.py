"""Persistence: SQLAlchemy 2 models and the engine/session for SQLite or PostgreSQL."""
