"""The supplier's catalog and parties in the database: look-ups for the rules, imports,
order forms.

Where each rule lives:

* batched product look-ups for one order; the master-data version and its caches —
  :mod:`gateway.catalog.lookup`
* our customers and sites, and the grants partners hold — :mod:`gateway.catalog.parties`
* importing master data (products, barcodes, customers, sites, grants…), from a file or
  from rows typed in a form — :mod:`gateway.catalog.importer`
* finding products by barcode, reference or name, as a person types —
  :mod:`gateway.catalog.search`
* an XLSX order form of what a customer may order — :mod:`gateway.catalog.order_form`
* learned cross-references, saved by admins — :mod:`gateway.catalog.xrefs`
"""

import lazy_loader

# What the stub beside this file (__init__.pyi) imports, loaded on first use: importing
# one module of the package does not import all the others (start-up of the command line)
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
