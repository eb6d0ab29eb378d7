from .files import list_files, show_file
from .masterdata import import_row
from .rejections import fix_rejection, list_rejections, waiting_counts
from .replay import replay_file, replay_order
from .sources import source_view
from .xrefs import add_xref, forget_xref, learned_references

__all__ = [
    "add_xref",
    "fix_rejection",
    "forget_xref",
    "import_row",
    "learned_references",
    "list_files",
    "list_rejections",
    "replay_file",
    "replay_order",
    "show_file",
    "source_view",
    "waiting_counts",
]
