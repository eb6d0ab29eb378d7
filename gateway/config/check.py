"""``order-gateway check``: the whole workspace validated before work starts.

Loading ``gateway.toml`` already refuses what a key alone can tell (types, booleans,
times, unknown keys — :mod:`gateway.config.settings`). This module checks what needs
the rest of the workspace: every mapping profile a partner names exists and parses;
every grant and default names a customer and a site of the database; every SFTP
partner's key file, pinned host keys and password variable are there. ``run`` makes
the same check at start and refuses to start on an error, so a mistake surfaces at the
admin, once, instead of in every file at the customer.

Each :class:`Problem` names the key, the value, what was expected and the nearest valid
name. Errors stop ``run``; warnings (an imported grant of a partner that is not
configured, a default the partner holds no grant for) are said and do not.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from gateway.config.mapping import MappingProfile, load_mapping
from gateway.config.settings import ConfigError, GatewayConfig, PartnerConfig
from gateway.config.spelling import nearest_name
from gateway.store.database import StoreBroken, is_broken_store, shown_url
from gateway.store.models import Customer, Grant, Site
from gateway.workspace import Workspace

log = logging.getLogger("gateway.config.check")


class Severity(StrEnum):
    ERROR = "error"  # the gateway refuses to start
    WARNING = "warning"  # said, and the gateway starts


@dataclass(frozen=True)
class Problem:
    """One mistake: where (``key``), what was written (``value``), what was expected."""

    key: str
    value: Any
    expected: str
    nearest: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        hint = f"; did you mean {self.nearest!r}?" if self.nearest else ""
        return f"{self.key} = {self.value!r}: expected {self.expected}{hint}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "key": self.key,
            "value": self.value,
            "expected": self.expected,
            "nearest": self.nearest,
            "message": str(self),
        }


@dataclass(frozen=True)
class Parties:
    """Our customers and sites as the database knows them, and the imported grants."""

    #: code → the other ways a file may name it (GLN, name), casefolded
    customers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    sites: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: partner id → (customer code, site code) pairs imported with ``import grants``
    grants: Mapping[str, frozenset[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class CheckReport:
    problems: list[Problem]
    partners: int = 0
    profiles: int = 0
    customers: int = 0
    sites: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


def known_parties(session: Session) -> Parties:
    """What :func:`check_config` needs of the database, read once."""

    def names(model: type[Customer] | type[Site]) -> dict[str, frozenset[str]]:
        rows = session.execute(select(model.code, model.gln, model.name))
        return {c: frozenset(x.casefold() for x in (g, n) if x) for c, g, n in rows}

    grants: dict[str, set[tuple[str, str]]] = {}
    rows = session.execute(
        select(Grant.partner, Customer.code, Site.code)
        .join(Customer, Customer.id == Grant.customer_id)
        .join(Site, Site.id == Grant.site_id)
    )
    for partner, customer, site in rows:
        grants.setdefault(partner, set()).add((customer, site))
    return Parties(names(Customer), names(Site), {p: frozenset(g) for p, g in grants.items()})


def check_workspace(ws: Workspace, environ: Mapping[str, str] | None = None) -> CheckReport:
    """Every problem of the workspace ``ws`` (its configuration loaded already)."""
    problems: list[Problem] = []
    parties: Parties | None = None
    try:
        with ws.read_sessions() as s:
            parties = known_parties(s)
    except SQLAlchemyError as exc:
        if is_broken_store(exc):
            broken = StoreBroken(
                f"the database {shown_url(ws.database_url)} cannot be used "
                f"({getattr(exc, 'orig', exc)}); restore or repair it, then start again"
            )
            log.error("%s", broken, extra={"workspace": str(ws.root)})
            raise broken from exc
        problems.append(
            Problem(
                "gateway.database",
                shown_url(ws.database_url),
                f"a database the gateway can open ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0]})",
            )
        )
    if ws.cluster and not ws.database_url.startswith("postgresql"):
        problems.append(
            Problem(
                "cluster.enabled",
                "true",
                "a PostgreSQL database in [gateway] database (cluster mode shares its work "
                "through it; SQLite keeps the in-process `run`)",
            )
        )
    problems += check_config(
        ws.config,
        mappings_dir=ws.mappings_dir,
        known_hosts=ws.known_hosts,
        parties=parties,
        environ=os.environ if environ is None else environ,
    )
    return CheckReport(
        problems,
        partners=len(ws.config.partners),
        profiles=len(_profiles(ws.mappings_dir)),
        customers=len(parties.customers) if parties else 0,
        sites=len(parties.sites) if parties else 0,
    )


def check_config(
    config: GatewayConfig,
    *,
    mappings_dir: Path,
    known_hosts: Path,
    parties: Parties | None,
    environ: Mapping[str, str],
) -> list[Problem]:
    """The problems of a loaded configuration; ``parties`` None: the database is not
    readable, and what needs it is left unchecked (its own problem says why)."""
    problems: list[Problem] = []
    profiles = _profiles(mappings_dir)
    for pid, partner in config.partners.items():
        at = f"partners.{pid}"
        profile = None
        if partner.mapping:
            profile, found = _profile(at, partner.mapping, mappings_dir, profiles)
            problems += found
        if parties is not None:
            problems += _party_problems(at, pid, partner, profile, parties)
        if partner.channel == "sftp":
            problems += _sftp_problems(at, partner, known_hosts, environ)
    if parties is not None:
        for pid in sorted(set(parties.grants) - set(config.partners)):
            problems.append(
                Problem(
                    "grants (imported)",
                    pid,
                    "a partner of gateway.toml; its imported grants are not used",
                    nearest_name(pid, config.partners),
                    Severity.WARNING,
                )
            )
    return problems


def _profiles(mappings_dir: Path) -> list[str]:
    return sorted(p.stem for p in mappings_dir.glob("*.toml")) if mappings_dir.is_dir() else []


def _profile(
    at: str, name: str, mappings_dir: Path, profiles: list[str]
) -> tuple[MappingProfile | None, list[Problem]]:
    key = f"{at}.mapping"
    if name not in profiles:
        there = ", ".join(profiles) or "none"
        expected = f"the name of a profile NAME.toml in {mappings_dir} (there: {there})"
        return None, [Problem(key, name, expected, nearest_name(name, profiles))]
    try:
        return load_mapping(mappings_dir, name), []
    except ConfigError as exc:
        where = f"{mappings_dir.name}/{name}.toml"
        return None, [
            Problem(key, name, f"a profile that reads without errors; {where}: {p}")
            for p in exc.problems
        ]


def _party_problems(
    at: str, pid: str, partner: PartnerConfig, profile: MappingProfile | None, parties: Parties
) -> Iterator[Problem]:
    for i, grant in enumerate(partner.grants):
        # A grant is compared by code, exactly: a GLN or another case would never match.
        yield from _code(f"{at}.grants.{i}.customer", grant.customer, parties.customers, "customer")
        yield from _code(f"{at}.grants.{i}.site", grant.site, parties.sites, "site")
    named = [
        (f"{at}.default_customer", partner.default_customer, parties.customers, "customer"),
        (f"{at}.default_site", partner.default_site, parties.sites, "site"),
    ]
    if profile is not None:
        where = f"mappings/{partner.mapping}.toml"
        defaults = profile.spreadsheet.defaults
        customers, sites = parties.customers, parties.sites
        named += [
            (f"{where}: spreadsheet.defaults.customer", defaults.customer, customers, "customer"),
            (f"{where}: spreadsheet.defaults.site", defaults.site, sites, "site"),
        ]
        both = {**parties.customers, **parties.sites}
        for sent, ours in profile.edi.parties.items():
            named.append((f"{where}: edi.parties.{sent}", ours, both, "customer or site"))
    for key, value, known, what in named:
        if value is not None:
            yield from _party(key, value, known, what)
    granted = {c for c, _ in partner.grants} | {c for c, _ in parties.grants.get(pid, ())}
    customer = partner.default_customer
    if customer in parties.customers and customer not in granted:
        yield Problem(
            f"{at}.default_customer",
            customer,
            "a customer the partner holds a grant for: files relying on this default "
            "are refused (not_granted)",
            severity=Severity.WARNING,
        )


def _code(key: str, value: str, known: Mapping[str, frozenset[str]], what: str):  # noqa: ANN202
    if value not in known:
        expected = f"the code of a {what} of the database{_there(known)}"
        yield Problem(key, value, expected, _nearest(value, known))


def _party(key: str, value: str, known: Mapping[str, frozenset[str]], what: str):  # noqa: ANN202
    folded = value.casefold()
    if any(c.casefold() == folded or folded in other for c, other in known.items()):
        return
    expected = f"the code, GLN or name of a {what} of the database{_there(known)}"
    yield Problem(key, value, expected, _nearest(value, known))


#: Up to this many known codes are listed in a message; beyond, only how many there are
_LISTED = 10


def _there(known: Mapping[str, object]) -> str:
    if not known:
        return " (there is none yet: `order-gateway import` them first)"
    if len(known) <= _LISTED:
        return f" (there: {', '.join(sorted(known))})"
    return f" ({len(known):,} of them)"


def _nearest(value: str, known: Iterable[str]) -> str | None:
    codes = list(known)
    exact_but_case = [c for c in codes if c.casefold() == value.casefold()]
    return exact_but_case[0] if exact_but_case else nearest_name(value, codes)


def _sftp_problems(
    at: str, partner: PartnerConfig, workspace_known_hosts: Path, environ: Mapping[str, str]
) -> Iterator[Problem]:
    sftp = partner.sftp
    if sftp is None:  # refused when the configuration was loaded
        return
    if sftp.key_file is not None and (why := _unreadable(sftp.key_file)):
        yield Problem(f"{at}.sftp.key_file", str(sftp.key_file), f"a readable private key ({why})")
    hosts = sftp.known_hosts or workspace_known_hosts
    if why := _unreadable(hosts):
        yield Problem(
            f"{at}.sftp.known_hosts",
            str(hosts),
            f"a readable known_hosts file pinning {sftp.host}'s key ({why}; add the key "
            f"once its fingerprint is checked, e.g. ssh-keyscan -p {sftp.port} {sftp.host})",
        )
    if sftp.password_env is not None and not environ.get(sftp.password_env):
        yield Problem(
            f"{at}.sftp.password_env",
            sftp.password_env,
            "the name of an environment variable that is set (it holds the password); "
            "it is not set for this process",
        )


def _unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, or None."""
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except FileNotFoundError:
        return "no such file"
    except IsADirectoryError:
        return "a folder, not a file"
    except PermissionError:
        return f"not readable by this user (uid {os.geteuid()})"
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


__all__ = [
    "CheckReport",
    "Parties",
    "Problem",
    "Severity",
    "check_config",
    "check_workspace",
    "known_parties",
]
