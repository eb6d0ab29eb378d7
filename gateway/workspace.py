"""A workspace: gateway.toml, partner inboxes and outboxes, archive, failed, the database.

Everything the gateway touches on disk is reached through a :class:`Workspace`, so
paths are decided in one place.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from gateway.config.cluster import this_node
from gateway.config.settings import CONFIG_NAME, GatewayConfig, PartnerConfig, load_config

if TYPE_CHECKING:  # the store is imported where used: a command that needs no database
    # (check, template…) does not load SQLAlchemy, the models and Alembic
    from procrastinate import App
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from gateway.store.blobs import BlobStore
    from gateway.store.database import ReadSession

ENV_HOME = "ORDER_GATEWAY_HOME"
DB_NAME = "gateway.sqlite"
#: Inbox folder of the ERP status feed (issue: lifecycle); not a partner
ERP_FEED = "_erp"
PROCESSING = ".processing"
#: What an admin asks for by command (order forms, orders reports), unless ``--output``
EXPORTS = "exports"


def resolve_root(workspace: Path | None) -> Path:
    if workspace is not None:
        return workspace.resolve()
    env = os.environ.get(ENV_HOME)
    return Path(env).resolve() if env else Path.cwd().resolve()


@dataclass
class Workspace:
    root: Path
    config: GatewayConfig
    _engine: Engine | None = field(default=None, repr=False)
    #: Cluster mode: the node (machine) this process runs on (``worker --node``)
    node: str = field(default_factory=this_node)
    #: Per thread (an SFTP partner's has its own): the replies written whose "sent" mark
    #: waits for that thread's next write transaction (``gateway.replies.dispatch``)
    replies_to_mark: threading.local = field(
        default_factory=threading.local, repr=False, compare=False
    )

    @classmethod
    def open(cls, root: Path) -> Workspace:
        return cls(root=root, config=load_config(root / CONFIG_NAME))

    # --- folders -------------------------------------------------------------------
    def _rel(self, value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else self.root / p

    def inbox(self, partner_id: str) -> Path:
        p = self.config.partner(partner_id)
        return self._rel(p.inbox or f"inbox/{partner_id}")

    def outbox(self, partner_id: str) -> Path:
        p = self.config.partner(partner_id)
        return self._rel(p.outbox or f"outbox/{partner_id}")

    def processing(self, partner_id: str) -> Path:
        return self.inbox(partner_id) / PROCESSING

    def archive_dir(self, partner_id: str, when: datetime) -> Path:
        base = self._rel(self.config.gateway.archive_dir)
        return base / partner_id / f"{when:%Y}" / f"{when:%m}" / f"{when:%d}"

    def failed_dir(self, partner_id: str) -> Path:
        return self._rel(self.config.gateway.failed_dir) / partner_id

    def reports_dir(self, partner_id: str) -> Path:
        return self._rel(self.config.gateway.reports_dir) / partner_id

    @property
    def exports_dir(self) -> Path:
        return self.root / EXPORTS

    @property
    def erp_feed(self) -> Path:
        """The ERP status feed's folder (``[gateway] erp_feed_dir``)."""
        return self._rel(self.config.gateway.erp_feed_dir)

    @property
    def mappings_dir(self) -> Path:
        return self._rel(self.config.gateway.mappings_dir)

    @property
    def known_hosts(self) -> Path:
        return self._rel(self.config.gateway.known_hosts)

    def partner(self, partner_id: str) -> PartnerConfig:
        return self.config.partner(partner_id)

    def ensure_folders(self) -> None:
        for pid in self.config.partners:
            for d in (self.inbox(pid), self.processing(pid), self.outbox(pid)):
                d.mkdir(parents=True, exist_ok=True)
        for name in ("archive_dir", "failed_dir", "reports_dir"):
            self._rel(getattr(self.config.gateway, name)).mkdir(parents=True, exist_ok=True)
        self.exports_dir.mkdir(exist_ok=True)

    # --- database --------------------------------------------------------------------
    @property
    def database_url(self) -> str:
        from gateway.store.database import sqlite_url

        url = self.config.gateway.database or os.environ.get("ORDER_GATEWAY_DATABASE")
        return url or sqlite_url(self.root / DB_NAME)

    @property
    def engine(self) -> Engine:
        """The database, at the code's schema revision (a new one is made so; an older or
        newer one refused, naming the command to run)."""
        from gateway.store.database import create_schema, make_engine

        if self._engine is None:
            engine = make_engine(self.database_url)
            create_schema(engine)
            self._engine = engine
        return self._engine

    def unchecked_engine(self) -> Engine:
        """The database whatever its schema revision, for ``db upgrade|current|check``."""
        from gateway.store.database import make_engine

        return make_engine(self.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        from gateway.store.database import session_factory

        return session_factory(self.engine)

    @cached_property
    def read_sessions(self) -> sessionmaker[ReadSession]:
        """For reads only (resolution, listings): no write lock on SQLite."""
        from gateway.store.database import read_session_factory

        return read_session_factory(self.engine)

    # --- cluster mode ----------------------------------------------------------------
    @property
    def cluster(self) -> bool:
        """Work shared as jobs by the workers of several machines (``[cluster] enabled``)."""
        return self.config.cluster.enabled

    @cached_property
    def blobs(self) -> BlobStore:
        """Where received files' bytes are kept by sha256 (:mod:`gateway.store.blobs`)."""
        from gateway.store.blobs import open_blob_store

        return open_blob_store(self.config.cluster)

    @cached_property
    def jobs(self) -> App:
        """Defers cluster jobs in a session's transaction (:mod:`gateway.store.jobs`)."""
        from gateway.store.jobs import deferring_app

        return deferring_app(self.database_url)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


PLAIN_CONFIG = """\
# order-gateway workspace configuration. Reference: README.md, "Configuration".

[supplier]
name = "My Company"
# gln = "3012345000000"
edi_id = "MYCOMPANY"
edi_qualifier = "ZZ"

# [partners.acme]
# name = "ACME Stores"
# language = "fr"
# grants = [{ customer = "C001", site = "S01" }]
"""


def create_workspace(
    root: Path,
    *,
    force: bool = False,
    config: str = PLAIN_CONFIG,
    mappings: dict[str, str] | None = None,
) -> Workspace:
    """Write ``gateway.toml`` (and mapping profiles), make the folders and the database.

    FileExistsError when a configuration is there already, unless ``force``.
    """
    root.mkdir(parents=True, exist_ok=True)
    path = root / CONFIG_NAME
    if path.exists() and not force:
        raise FileExistsError(f"{path} already exists")
    path.write_text(config, encoding="utf-8")
    folder = root / "mappings"
    folder.mkdir(exist_ok=True)
    for name, text in (mappings or {}).items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    ws = Workspace.open(root)
    ws.ensure_folders()
    ws.engine  # noqa: B018 — creates the database schema
    return ws
