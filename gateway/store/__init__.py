"""Persistence: SQLAlchemy 2 models, the engine and sessions (SQLite or PostgreSQL), the
ledger of what was received, and the driver's bulk path.

Where each rule lives:

* the tables — :mod:`gateway.store.models`
* engine, sessions — :mod:`gateway.store.database`
* schema migrations, and the revision check every command makes — :mod:`gateway.store.migrate`
* "have we seen these bytes / this interchange?" — :mod:`gateway.store.ledger`
* bulk inserts (``executemany`` / ``COPY``) — :mod:`gateway.store.bulk`; an order's lines
  held, inserted and answered column by column — :mod:`gateway.store.line_table`
* one new row by one statement, its object persistent as after a flush (a file's
  record, its order, its replies) — :mod:`gateway.store.rows`
* the history of actions that have none of their own (sign-ins, resends…) —
  :mod:`gateway.store.actions`
* a received file's bytes kept once by their sha256 (table or S3) — :mod:`gateway.store.blobs`
* cluster mode's job queue (procrastinate on the same PostgreSQL) — :mod:`gateway.store.jobs`
"""
