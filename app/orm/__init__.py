# workshop: since 28
"""The store on SQLAlchemy 2.x: typed models, session-based repositories, async access."""
