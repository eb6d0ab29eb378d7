"""``[cluster]``: several machines sharing one PostgreSQL, the work shared as jobs.

Off by default: SQLite (and PostgreSQL without ``[cluster] enabled``) keeps the
in-process pipeline of ``run``. When on, ``order-gateway worker`` processes on any
number of machines take the work from procrastinate's job queue, and a received
file's bytes are kept in the blob store (:mod:`gateway.store.blobs`), so no machine
needs another's disk.

A machine is a *node*, named by ``worker --node`` (else ``$ORDER_GATEWAY_NODE``, else
its host name). A folder partner's folders are on the node its ``node`` key names; a
partner without one is polled on every node that runs a worker, each its own folder.
"""

from __future__ import annotations

import os
import socket
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

ENV_NODE = "ORDER_GATEWAY_NODE"


class S3Settings(BaseModel):
    """An S3-compatible bucket for the originals (AWS, MinIO, Ceph…). Credentials come
    from boto3's own chain (``AWS_ACCESS_KEY_ID``…, a profile, an instance role): never
    from this file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bucket: str = Field(min_length=3)
    #: Keys are PREFIX + sha256
    prefix: str = "originals/"
    #: Another S3-compatible service than AWS (e.g. ``http://127.0.0.1:9000``)
    endpoint_url: str | None = None
    region: str | None = None


class ClusterSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: StrictBool = False
    #: Where the bytes of received files are kept: a table of the database, or a bucket
    blob_store: Literal["database", "s3"] = "database"
    s3: S3Settings | None = None
    #: Also move each original into the node's archive folder (the ledger and the blob
    #: store keep it in any case); off: the source is deleted once recorded
    folder_archive: StrictBool = False
    #: Seconds between two polls of one source (folders, SFTP accounts, the ERP feed)
    poll_interval: Annotated[int, Field(ge=1, le=59)] = 1
    #: Seconds without a heartbeat after which a worker's jobs are taken for stalled
    #: and retried elsewhere
    stalled_after: Annotated[float, Field(ge=2)] = 15.0
    #: Hours a finished job is kept (``status`` shows them), then deleted
    keep_finished_hours: Annotated[int, Field(ge=1)] = 24

    @model_validator(mode="after")
    def _s3_needs_bucket(self) -> ClusterSettings:
        if self.blob_store == "s3" and self.s3 is None:
            raise ValueError("blob_store = 's3' needs a [cluster.s3] table (bucket…)")
        return self


def this_node(given: str | None = None) -> str:
    """This machine's node name: ``given``, else ``$ORDER_GATEWAY_NODE``, else the host name."""
    return given or os.environ.get(ENV_NODE) or socket.gethostname()


__all__ = ["ENV_NODE", "ClusterSettings", "S3Settings", "this_node"]
