"""The intake of one claimed file: read → evaluate → admit → record → reply → archive.

Where each rule lives:

* which reader reads a file, within the partner's bounds, and who may have sent it —
  :mod:`gateway.intake.read`
* reading untrusted bytes in a child process under memory and time limits —
  :mod:`gateway.intake.sandbox`
* the mark left while a file is read: a file that killed the gateway is read isolated,
  then quarantined — :mod:`gateway.intake.attempts`
* resolving and checking an order's lines (a decision, nothing stored), line by line or,
  for a big order, by columns — :mod:`gateway.intake.evaluate`
* storing an evaluated order, duplicates refused, replaced or amended —
  :mod:`gateway.intake.record`,
  :mod:`gateway.intake.replacement`
* revising an order still waiting for validation (a replay, a follow-up file) —
  :mod:`gateway.intake.revision`
* the buyer's changes (ORDCHG, 860, replacing and cancelling orders), applied once —
  :mod:`gateway.intake.changes`
* the one transaction of a file, then its replies and its archive — :mod:`gateway.intake.pipeline`
* where a file ends (archive, quarantine, the one free-name rule) — :mod:`gateway.intake.files`
* one file never stops the gateway; a store fault keeps it for later — :mod:`gateway.intake.guard`
* ``inspect``: a dry run that stores and writes nothing — :mod:`gateway.intake.dry_run`
* cluster mode: a poller records received bytes and queues them — :mod:`gateway.intake.receive`;
  the ``process`` job takes a recorded file through the same pipeline —
  :mod:`gateway.intake.recorded`
"""

import lazy_loader

# What the stub beside this file (__init__.pyi) imports, loaded on first use: importing
# one module of the package does not import all the others (start-up of the command line)
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
