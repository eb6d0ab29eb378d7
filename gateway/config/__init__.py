"""Configuration: ``gateway.toml`` and the partners' mapping profiles, validated by pydantic.

One validated object, passed in — never global state. Every error names the key and
what was expected.

Where each rule lives:

* the workspace configuration and every partner setting — :mod:`gateway.config.settings`
* a partner's mapping profile (``mappings/NAME.toml``) — :mod:`gateway.config.mapping`
* SFTP account settings of a partner — :mod:`gateway.config.sftp`
* several machines sharing the work (``[cluster]``: blob store, S3, poll and stall
  intervals) — :mod:`gateway.config.cluster`
* the whole workspace checked before work starts (profiles, parties, SFTP files) —
  :mod:`gateway.config.check`
* "did you mean …": the nearest valid name to a misspelt one — :mod:`gateway.config.spelling`
"""

import lazy_loader

# What the stub beside this file (__init__.pyi) imports, loaded on first use: importing
# one module of the package does not import all the others (start-up of the command line)
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
