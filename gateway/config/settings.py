"""``gateway.toml``: one validated object, passed in — never global state.

Every error names the key (``partners.acme.language``) and what was expected, so an
admin can fix the file without reading code.
"""

from __future__ import annotations

import re
import tomllib
import types
from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path, PurePath
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)

from gateway.config.cluster import ClusterSettings
from gateway.config.sftp import SftpSettings
from gateway.config.spelling import did_you_mean, nearest_name
from gateway.errors import NotFound, Unreadable
from parsers.limits import SheetLimits

CONFIG_NAME = "gateway.toml"
PARTNER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
#: Names that writers use while a file is not complete yet (fnmatch patterns)
DEFAULT_TEMP_PATTERNS = (".*", "*.tmp", "*.part", "*.partial", "~$*", "*.crdownload", "*.swp")
#: A workbook's default bounds: the reader's own (peak memory under 500 MB within them)
_SHEET = SheetLimits()


class ConfigError(Unreadable):
    """The configuration is missing, not TOML, or not valid. ``problems`` are one per key."""

    exit_code = 2

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


class UnknownPartner(NotFound):
    """No partner of that id is configured."""

    def __init__(self, partner_id: str, known: list[str]) -> None:
        self.partner_id = partner_id
        shown = ", ".join(sorted(known)) or "none"
        hint = did_you_mean(partner_id, known)
        super().__init__(f"unknown partner {partner_id!r} (configured: {shown}){hint}")


class ReplyFormat(StrEnum):
    AUTO = "auto"  # the format the order came in
    CSV = "csv"
    XLSX = "xlsx"
    EDIFACT = "edifact"
    X12 = "x12"


class QuantityPolicy(StrEnum):
    REJECT = "reject"  # a quantity that is not a multiple of the sell multiple is refused
    ROUND_UP = "round_up"  # rounded up to the next multiple, line marked adjusted


class DuplicatePolicy(StrEnum):
    """What a second order with the same customer and order number does."""

    REFUSE = "refuse"
    REPLACE = "replace"  # while the first is still pending validation: a new order
    AMEND = "amend"  # while the first is still pending validation: it is amended


_DURATION = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*$")


def parse_duration(text: str) -> timedelta:
    """``"24h"``, ``"2d"``, ``"90m"``, ``"1d 12h"`` as a timedelta.

    >>> parse_duration("1d 12h"), parse_duration("90m")
    (datetime.timedelta(days=1, seconds=43200), datetime.timedelta(seconds=5400))
    """
    m = _DURATION.match(text)
    if not m or not any(m.groups()):
        raise ValueError(f"expected a duration such as 24h, 2d, 90m or 1d 12h, got {text!r}")
    days, hours, minutes = (int(g or 0) for g in m.groups())
    span = timedelta(days=days, hours=hours, minutes=minutes)
    if not span:
        raise ValueError(f"a deadline must be longer than zero, got {text!r}")
    return span


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GrantConfig(Strict):
    customer: str
    site: str


class PartnerConfig(Strict):
    name: str
    channel: Literal["folder", "sftp"] = "folder"
    #: Folders relative to the workspace; default inbox/<id> and outbox/<id>
    inbox: str | None = None
    outbox: str | None = None
    #: Name of a profile in the workspace's mappings/ folder (``NAME.toml``)
    mapping: str | None = None
    grants: list[GrantConfig] = Field(default_factory=list)
    default_customer: str | None = None
    default_site: str | None = None
    reply_formats: list[ReplyFormat] = Field(default_factory=lambda: [ReplyFormat.AUTO])
    language: Literal["fr", "en"] = "en"
    auto_validate: StrictBool = False
    quantity_policy: QuantityPolicy = QuantityPolicy.REJECT
    #: Unset: ``amend`` for spreadsheet orders, ``refuse`` for EDI (whose messages say
    #: themselves whether they change an order)
    duplicate_policy: DuplicatePolicy | None = None
    #: How long the supplier may take to validate or reject an order ("24h", "2d")
    response_deadline: timedelta | None = None
    #: Interchange sender ids (UNB / ISA) that belong to this partner: "id" or "qualifier:id"
    edi_ids: list[str] = Field(default_factory=list)
    #: X12 functional-group senders (GS02) this partner sends as; none set: any GS02.
    #: Tells apart divisions that share one ISA id.
    application_ids: list[str] = Field(default_factory=list)
    max_file_size: Annotated[int, Field(gt=0)] = 50_000_000
    #: Answer every EDI interchange / functional group with a CONTRL / 997
    functional_acks: StrictBool = True
    #: Send an admin rejection report (XLSX) when lines are rejected
    rejection_report: StrictBool = True
    #: Channel settings when ``channel = "sftp"``
    sftp: SftpSettings | None = None
    #: A file is ready only once ``NAME.done`` or ``NAME.ok`` exists beside it
    done_marker: StrictBool = False
    #: Names never read because their writer has not finished (fnmatch patterns)
    temp_patterns: list[str] = Field(default_factory=lambda: list(DEFAULT_TEMP_PATTERNS))
    #: Seconds a file's size and mtime must stay still before it is read (default: ``run``'s)
    settle_seconds: Annotated[float, Field(ge=0)] | None = None
    #: Queue a status report to the partner on every change of an order's status
    status_reports: StrictBool = True
    #: Local time ("HH:MM") of the daily digest of open orders; none when unset
    digest_at: str | None = None
    #: When an EDI partner gets its first order response (ORDRSP / 855): once the order
    #: is received, or once the supplier decided (validated or refused)
    respond_at: Literal["intake", "validation"] = "validation"
    #: Shipments are announced with a despatch advice (EANCOM DESADV / X12 856)
    ship_notice: StrictBool = False
    #: Bounds on one file, checked before the expensive work (a file over one is refused
    #: with the bound named): CSV lines (EDI segments); a worksheet's last row, column and cells
    #: from A1; a workbook's text (shared strings, bytes); orders; EDI interchanges
    max_lines: Annotated[int, Field(gt=0)] = 200_000
    max_sheet_rows: Annotated[int, Field(gt=0)] = _SHEET.rows
    max_sheet_columns: Annotated[int, Field(gt=0, le=16_384)] = _SHEET.columns
    max_sheet_cells: Annotated[int, Field(gt=0)] = _SHEET.cells
    max_shared_strings_bytes: Annotated[int, Field(gt=0)] = _SHEET.shared_strings
    max_orders_per_file: Annotated[int, Field(gt=0)] = 10_000
    max_interchanges_per_file: Annotated[int, Field(gt=0)] = 10_000
    #: A spreadsheet order of at least this many lines goes the column path (read in
    #: columns, resolved and checked by batches: :mod:`gateway.intake.columns`); smaller
    #: ones line by line, where the fixed cost of the columns is not worth paying
    column_path_lines: Annotated[int, Field(gt=0)] = 5_000
    #: Cluster mode: the node (machine) holding this folder partner's inbox and outbox;
    #: unset: every node polls its own
    node: str | None = None

    @model_validator(mode="after")
    def _sftp_needs_settings(self) -> PartnerConfig:
        if self.channel == "sftp" and self.sftp is None:
            raise ValueError("channel = 'sftp' needs an [partners.<id>.sftp] table (host, user…)")
        return self

    @field_validator("edi_ids", "application_ids")
    @classmethod
    def _strip_ids(cls, v: list[str]) -> list[str]:
        return [i.strip() for i in v if i.strip()]

    @field_validator("response_deadline", mode="before")
    @classmethod
    def _duration(cls, v: object) -> object:
        return parse_duration(v) if isinstance(v, str) else v

    def duplicates(self, tabular: bool) -> DuplicatePolicy:
        """The duplicate policy for an order read from a spreadsheet (or not)."""
        if self.duplicate_policy is not None:
            return self.duplicate_policy
        return DuplicatePolicy.AMEND if tabular else DuplicatePolicy.REFUSE

    @field_validator("digest_at")
    @classmethod
    def _time_of_day(cls, v: str | None) -> str | None:
        # A sentence, not the regular expression: "7h00" and "7am" are what people write.
        if v is None:
            return v
        try:
            return f"{datetime.strptime(v.strip(), '%H:%M'):%H:%M}"
        except ValueError:
            raise ValueError(
                'expected a time of day as HH:MM on the 24-hour clock, e.g. "07:00" or "18:30"'
            ) from None


class SupplierConfig(Strict):
    """Who we are in replies."""

    name: str = "Supplier"
    gln: str | None = None
    #: Our interchange id and qualifier (UNB sender / ISA06) in EDI replies
    edi_id: str = "SUPPLIER"
    edi_qualifier: str = "ZZ"
    #: Ids partners address us by (UNB recipient / ISA08): "id" or "qualifier:id".  When
    #: set, an interchange addressed to anyone else is refused; none set: any recipient.
    receiver_ids: list[str] = Field(default_factory=list)

    @field_validator("receiver_ids")
    @classmethod
    def _strip_ids(cls, v: list[str]) -> list[str]:
        return [i.strip() for i in v if i.strip()]


class GatewaySettings(Strict):
    #: SQLAlchemy URL; default: the SQLite file gateway.sqlite in the workspace
    database: str | None = None
    mappings_dir: str = "mappings"
    archive_dir: str = "archive"
    failed_dir: str = "failed"
    reports_dir: str = "reports"
    known_hosts: str = "known_hosts"
    #: The ERP status feed's folder: whoever can write there can move (cancel) any
    #: partner's order, so it belongs outside every partner's folder (see the README)
    erp_feed_dir: str = "inbox/_erp"


class GatewayConfig(Strict):
    gateway: GatewaySettings = Field(default_factory=GatewaySettings)
    supplier: SupplierConfig = Field(default_factory=SupplierConfig)
    partners: dict[str, PartnerConfig] = Field(default_factory=dict)
    cluster: ClusterSettings = Field(default_factory=ClusterSettings)

    @field_validator("partners")
    @classmethod
    def _partner_ids(cls, v: dict[str, PartnerConfig]) -> dict[str, PartnerConfig]:
        for pid in v:
            if not PARTNER_ID.match(pid) or pid.startswith("_"):
                raise ValueError(
                    f"partner id {pid!r} must be letters, digits, '_', '.', '-' "
                    "(not starting with '_' — those folders are the gateway's own)"
                )
        return v

    @model_validator(mode="after")
    def _erp_feed_apart(self) -> GatewayConfig:
        """No partner's inbox may hold the ERP feed folder, nor lie inside it: a partner
        able to drop a file there could cancel any partner's orders."""
        feed = PurePath(self.gateway.erp_feed_dir)
        for pid, p in self.partners.items():
            inbox = PurePath(p.inbox or f"inbox/{pid}")
            if feed == inbox or inbox in feed.parents or feed in inbox.parents:
                raise ValueError(
                    f"gateway.erp_feed_dir {str(feed)!r} and the inbox of partner {pid!r} "
                    f"({str(inbox)!r}) overlap: the ERP feed must be a folder of its own"
                )
        return self

    def partner(self, partner_id: str) -> PartnerConfig:
        """The partner's settings; :class:`UnknownPartner` naming the configured ids."""
        try:
            return self.partners[partner_id]
        except KeyError:
            raise UnknownPartner(partner_id, list(self.partners)) from None


def _models_in(annotation: Any) -> tuple[type[BaseModel] | None, int]:
    """The model a field holds, and how many container keys (dict key, list index) sit
    between the field and the model in an error's location."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, 0
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, types.UnionType, Annotated):
        for arg in args:
            model, depth = _models_in(arg)
            if model is not None:
                return model, depth
    elif origin in (dict, list) and args:
        model, depth = _models_in(args[-1])
        return model, depth + 1
    return None, 0


def valid_keys(root: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed beside the last one of ``loc`` (an error's location under ``root``)."""
    model: type[BaseModel] | None = root
    i = 0
    while model is not None and i < len(loc) - 1:
        field = model.model_fields.get(str(loc[i]))
        if field is None:
            return []
        model, depth = _models_in(field.annotation)
        i += 1 + depth
    return list(model.model_fields) if model is not None and i == len(loc) - 1 else []


_QUOTED = re.compile(r"'([^']*)'")


def describe_error(err: Mapping[str, Any], root: type[BaseModel] | None = None) -> str:
    """One pydantic error as an admin reads it: the dotted key, then what was expected, and
    the nearest valid name when a name was misspelt."""
    loc = tuple(err["loc"])
    key = ".".join(str(p) for p in loc) or "(top level)"
    kind = err["type"]
    got = err.get("input")
    if kind == "extra_forbidden":
        hint = did_you_mean(str(loc[-1]), valid_keys(root, loc)) if root and loc else ""
        return f"{key}: unknown key{hint or ' (see the README for the valid keys)'}"
    if kind == "missing":
        return f"{key}: required key is missing"
    shown = f", got {got!r}" if not isinstance(got, dict | list) else ""
    if kind == "bool_type":
        return f"{key}: expected true or false (a TOML boolean, without quotes){shown}"
    message = err["msg"].removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    hint = ""
    if kind in ("literal_error", "enum") and isinstance(got, str):
        choices = _QUOTED.findall(str(err.get("ctx", {}).get("expected", "")))
        if (found := nearest_name(got, choices)) is not None:
            hint = f"; did you mean {found!r}?"
    return f"{key}: {message}{shown}{hint}"


def parse_config(data: dict[str, Any], path: Path) -> GatewayConfig:
    try:
        return GatewayConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(path, [describe_error(e, GatewayConfig) for e in exc.errors()]) from None


def load_config(path: Path) -> GatewayConfig:
    if not path.is_file():
        raise ConfigError(path, ["file not found (run `order-gateway init` to create one)"])
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [f"not valid TOML: {exc}"]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [f"not UTF-8 text: {exc}"]) from None
    return parse_config(data, path)
