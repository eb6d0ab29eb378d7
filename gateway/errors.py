"""The application's errors: one family, three branches.

Every error the gateway raises for a person to act on is a :class:`GatewayError`; the
command line catches the base class and prints the message (never a traceback). Each
class's docstring is its default message.

::

    GatewayError
    ├── Refused                 the rules do not allow it
    │   ├── SenderRefused           rules.senders: an EDI sender id that is not the partner's
    │   ├── TransitionRefused       rules.lifecycle: a status change the lifecycle forbids
    │   └── LineQuantityRefused     orders.transitions: a line quantity that cannot apply
    ├── StoreBroken             store.database: the database answers but is broken (exit 3)
    ├── NotFound                what was named does not exist
    │   ├── UnknownPartner          config.settings: a partner id not in gateway.toml
    │   ├── OrderNotFound           orders.transitions: no such order
    │   └── UnknownParty            catalog.order_form: no such customer or site
    └── Unreadable              a file the gateway was given cannot be used
        ├── ConfigError             config.settings: gateway.toml or a mapping profile
        ├── ImportFailed            catalog.importer: a master-data file
        ├── FeedUnreadable          orders.erp_feed: an ERP status file
        └── InspectFailed           intake.dry_run: a file that would be quarantined

Problems inside an order file are not errors: they are reason codes on lines and
orders (:mod:`gateway.rules.reasons`), answered to the partner.
"""

from __future__ import annotations


class GatewayError(Exception):
    """The gateway could not do what was asked."""

    #: The command line's exit status for this error
    exit_code = 1

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip().splitlines()[0])

    @property
    def message(self) -> str:
        return str(self.args[0])

    def __str__(self) -> str:
        return self.message


class Refused(GatewayError):
    """The rules do not allow this."""


class NotFound(GatewayError, LookupError):
    """What was named does not exist."""

    exit_code = 2


class Unreadable(GatewayError):
    """The file cannot be used."""


__all__ = ["GatewayError", "NotFound", "Refused", "Unreadable"]
