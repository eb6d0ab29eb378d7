"""The ``order-gateway`` command line (typer): thin commands over the services.

Every command parses its options and calls one service function, the same one the
daemon and the web console call. ``gateway.cli:app`` is the entry point.

Its modules evaluate their annotations where they are written (no ``from __future__
import annotations``): typer reads the signature of every command at each start, and
annotations kept as strings were compiled and evaluated again each time (9 ms of CPU of
every command). A name imported only for type checking is quoted.

Where each command lives:

* the application, shared options, errors printed as messages, values named in words in
  every help — :mod:`gateway.cli.app`
* the tables commands print, and how any listing fits the terminal — :mod:`gateway.cli.tables`
* ``init``, ``import``, ``demo`` — :mod:`gateway.cli.workspace`
* ``check`` — :mod:`gateway.cli.check`
* ``process``, ``run``, ``inspect`` — :mod:`gateway.cli.intake`
* ``orders …``, ``report orders``, ``template``, ``erp-feed`` — :mod:`gateway.cli.orders`
* ``replay``, ``files …``, ``rejections …``, ``xref …`` — :mod:`gateway.cli.admin`
* ``db upgrade|current|check`` — :mod:`gateway.cli.db`
* ``sftp test`` — :mod:`gateway.cli.sftp`
* ``status`` — :mod:`gateway.cli.status`
* ``worker`` (cluster mode) — :mod:`gateway.cli.cluster`
* ``serve``, ``users …``, ``tokens …`` (the web console) — :mod:`gateway.cli.web`
"""

from gateway.cli import (  # noqa: F401 — they register
    admin,
    check,
    cluster,
    db,
    intake,
    orders,
    sftp,
    status,
    web,
    workspace,
)
from gateway.cli.app import app

__all__ = ["app"]
