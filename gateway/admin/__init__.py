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

from gateway.admin.files import list_files, show_file
from gateway.admin.masterdata import import_row
from gateway.admin.rejections import fix_rejection, list_rejections, waiting_counts
from gateway.admin.replay import replay_file, replay_order
from gateway.admin.sources import source_view
from gateway.admin.xrefs import add_xref, forget_xref, learned_references

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
