"""chapterdesk-server: the chapter server laptops sync with (FastAPI on SQLAlchemy).

PostgreSQL in a real deployment, an embedded SQLite file for demos. Stateless: every request
reads and writes the database, so several workers can run behind one load balancer.
"""

PROTOCOL_VERSION = 1
