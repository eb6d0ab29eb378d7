"""EDI on the way in: which interchanges are taken, and what partners acknowledge.

Where each rule lives:

* an interchange is taken when addressed to us, and only once — :mod:`gateway.edi.admission`
  (the sender-id rules themselves: :mod:`gateway.rules.senders`)
* a partner's 997/999, TA1 or CONTRL matched to what we sent — :mod:`gateway.edi.acknowledgments`
* control numbers of what we send, per partner and kind — :mod:`gateway.edi.control_numbers`

The EDIFACT and X12 replies themselves are built in :mod:`gateway.replies`.
"""

import lazy_loader

# What the stub beside this file (__init__.pyi) imports, loaded on first use: importing
# one module of the package does not import all the others (start-up of the command line)
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
