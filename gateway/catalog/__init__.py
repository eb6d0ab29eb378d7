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

from gateway.catalog.importer import ImportFailed, Kind, import_file, import_rows
from gateway.catalog.lookup import CatalogLookup
from gateway.catalog.order_form import UnknownParty, order_form
from gateway.catalog.parties import StoreParties, partner_grants

__all__ = [
    "CatalogLookup",
    "ImportFailed",
    "Kind",
    "StoreParties",
    "UnknownParty",
    "import_file",
    "import_rows",
    "order_form",
    "partner_grants",
]
