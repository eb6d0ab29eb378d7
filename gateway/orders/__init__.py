"""After intake: moving orders through their lifecycle, reading them, reporting on them.

Where each rule lives:

* the one way an order changes status (check, event, status report) —
  :mod:`gateway.orders.transitions`
  (which moves are allowed: :mod:`gateway.rules.lifecycle`)
* the ERP status feed — :mod:`gateway.orders.erp_feed`
* orders as plain dicts: listings and the JSON contract — :mod:`gateway.orders.queries`
* a partner's orders report and its daily digest — :mod:`gateway.orders.digest`
* reply deadlines: overdue orders, logged once — :mod:`gateway.orders.deadlines`
"""

import lazy_loader

# What the stub beside this file (__init__.pyi) imports, loaded on first use: importing
# one module of the package does not import all the others (start-up of the command line)
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
