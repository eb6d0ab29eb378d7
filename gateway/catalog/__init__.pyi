from .importer import ImportFailed, Kind, import_file, import_rows
from .lookup import CatalogLookup
from .order_form import UnknownParty, order_form
from .parties import StoreParties, partner_grants

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
