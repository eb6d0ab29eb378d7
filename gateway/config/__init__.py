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

from gateway.config.mapping import EdiProfile, MappingProfile, load_mapping
from gateway.config.settings import (
    CONFIG_NAME,
    ConfigError,
    DuplicatePolicy,
    GatewayConfig,
    PartnerConfig,
    QuantityPolicy,
    ReplyFormat,
    SupplierConfig,
    UnknownPartner,
    load_config,
)
from gateway.config.sftp import SftpSettings

__all__ = [
    "CONFIG_NAME",
    "ConfigError",
    "DuplicatePolicy",
    "EdiProfile",
    "GatewayConfig",
    "MappingProfile",
    "PartnerConfig",
    "QuantityPolicy",
    "ReplyFormat",
    "SftpSettings",
    "SupplierConfig",
    "UnknownPartner",
    "load_config",
    "load_mapping",
]
