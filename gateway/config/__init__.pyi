from .mapping import EdiProfile, MappingProfile, load_mapping
from .settings import (
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
from .sftp import SftpSettings

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
