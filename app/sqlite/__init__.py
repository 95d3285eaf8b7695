# workshop: since 11
"""The store in SQLite through Python's own sqlite3 module: one file, real SQL."""
