"""Plain rules over plain data: no session, no files, no I/O.

Everything the gateway decides about an order is here, as functions and small classes
over values (:mod:`gateway.rules.products`), tested in milliseconds without a database.
Where each rule lives:

* which product a line means (barcode, SKU, customer ref, name) — :mod:`gateway.rules.resolve`
  (what a typed name says and which product it names: :mod:`gateway.rules.names`)
* may it be ordered, in what quantity (assortment, multiples) — :mod:`gateway.rules.check`
* the order's customer and site, and the grant check — :mod:`gateway.rules.grants`
* who may send an EDI interchange, and to whom — :mod:`gateway.rules.senders`
* statuses and the moves allowed between them; actors — :mod:`gateway.rules.lifecycle`
* reason codes and every sentence a partner reads, French and English — :mod:`gateway.rules.reasons`
* quantities as people and JSON read them — :mod:`gateway.rules.quantity`
* products and parties as the rules see them; name keys — :mod:`gateway.rules.products`
* learned cross-references: what they map, whose they are — :mod:`gateway.rules.xrefs`
"""

import lazy_loader

# What the stub beside this file (__init__.pyi) imports, loaded on first use: importing
# one module of the package does not import all the others (start-up of the command line)
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
