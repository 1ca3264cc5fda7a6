"""Persistence: tables, queries and migrations; SQLite by default, PostgreSQL for many nodes."""
