"""What the gateway says back, and writing it out (the transactional outbox).

Where each rule lives:

* queue in the transaction, write after the commit — :mod:`gateway.replies.outbox`
* the name of every file we write — :mod:`gateway.replies.names`
* which replies a received file gets — :mod:`gateway.replies.fan_out`
* an order as its partner is told about it — :mod:`gateway.replies.responses`
* when an EDI order response goes, and only when it says something new —
  :mod:`gateway.replies.order_responses`
* spreadsheet acknowledgements and the admin's rejection report — :mod:`gateway.replies.tabular`
* CONTRL, ORDRSP and DESADV — :mod:`gateway.replies.edifact`; TA1, 997, 855, 865 and 856 —
  :mod:`gateway.replies.x12`
* what a partner hears when an order changes status — :mod:`gateway.replies.status_reports`
* the one updated reply after a replay changed an order — :mod:`gateway.replies.revisions`
* writing a message exactly once (tmp name, fsync, rename) — :mod:`gateway.replies.dispatch`
* the intake loop's replies written behind it, many files' per flush — :mod:`gateway.replies.writer`
* a reply sent again on request (same name, same bytes) — :mod:`gateway.replies.resend`
* cluster mode: from which node, in which order, a message is sent — :mod:`gateway.replies.routes`
"""

import lazy_loader

# What the stub beside this file (__init__.pyi) imports, loaded on first use: importing
# one module of the package does not import all the others (start-up of the command line)
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
