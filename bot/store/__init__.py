"""Persistence: SQLAlchemy models and small query functions. Functions take a session and never commit."""
