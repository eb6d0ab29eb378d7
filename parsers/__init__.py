"""Format codecs: bytes ⇄ neutral order documents.

Each format is a module with the same small surface:

* ``recognise(data: bytes) -> bool`` — do these bytes look like this format?
* ``read(data: bytes, ...) -> ReadResult`` — the orders in them (``parsers.document``),
  raising a :class:`parsers.errors.ParseError` subclass when the file as a whole
  cannot be read; problems confined to one line become ``LineIssue`` entries.
* ``write_*(...) -> bytes`` — acknowledgements and responses in that format.

This package knows nothing of the catalog, the database or folders: it never opens a
file, a socket or a connection, and it imports nothing from ``gateway``.
"""
