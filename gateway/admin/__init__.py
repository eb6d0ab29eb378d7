"""The admin's loop: act on what the gateway answered — replay after a fix, map an
unknown identifier once, and see the files and rejections waiting.

These are the services behind the CLI (``replay``, ``files``, ``rejections``, ``xref``)
and the web console: one implementation of each action.

Where each rule lives:

* replaying a received file against today's data — :mod:`gateway.admin.replay`
* received files, their chain of attempts, replies and replays — :mod:`gateway.admin.files`
* the queue of rejected lines and the fix of each — :mod:`gateway.admin.rejections`
* learned cross-references, managed by hand — :mod:`gateway.admin.xrefs`
* one row of master data typed in a form (an assortment row, a grant) —
  :mod:`gateway.admin.masterdata`
* a received file shown as rows or segments, the order's rows marked —
  :mod:`gateway.admin.sources`
"""

import lazy_loader

# What the stub beside this file (__init__.pyi) imports, loaded on first use: importing
# one module of the package does not import all the others (start-up of the command line)
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
