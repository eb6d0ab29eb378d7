"""The blob store: a received file's bytes, kept once by their sha256.

In cluster mode no machine reads another's disk: the poller that takes a file puts its
bytes here, and whichever worker processes it — and replay, and the console's download
and source view — read them back from here. Two stores keep the same promise:

* :class:`TableBlobs` (the default): a row of the ``blobs`` table, written in the
  poller's own transaction, so the bytes exist exactly when the file's record does;
* :class:`S3Blobs`: an object of any S3-compatible bucket whose key is the sha256,
  written *create-if-absent* (``If-None-Match: *``) before the transaction. The same
  bytes again — a repeated upload after a crash, a duplicate file — change nothing.

Both refuse to hand back bytes whose sha256 is not their name (:class:`BlobCorrupted`).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gateway.config.cluster import ClusterSettings, S3Settings
from gateway.errors import Unreadable
from gateway.store.models import Blob

#: A boto3 S3 client (boto3 ships no types of its own)
S3Client = Any


class BlobCorrupted(Unreadable):
    """The stored bytes are not the ones of their sha256."""


class BlobStore(Protocol):
    """Bytes by sha256. ``session``: the transaction the caller is in (a bucket ignores it)."""

    #: ``put`` joins the caller's transaction (else it is done before it, and kept)
    transactional: bool

    def put(self, session: Session | None, sha256: str, data: bytes) -> bool:
        """Store ``data`` under ``sha256`` unless there; True when stored by this call."""
        ...

    def get(self, session: Session | None, sha256: str) -> bytes | None:
        """The bytes, or None when nothing is stored under ``sha256``."""
        ...


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(sha256: str, data: bytes, where: str) -> bytes:
    if digest(data) != sha256:
        raise BlobCorrupted(
            f"the bytes stored {where} under {sha256[:12]}… are not the file received "
            "(their sha256 differs)"
        )
    return data


class TableBlobs:
    """Blobs as rows of the gateway's database (``INSERT … ON CONFLICT DO NOTHING``)."""

    transactional = True

    def put(self, session: Session | None, sha256: str, data: bytes) -> bool:
        assert session is not None, "the blobs table is written in the caller's transaction"
        _checked(sha256, data, "for the table")
        row = {"sha256": sha256, "size": len(data), "content": data, "stored_at": _now()}
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(Blob)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["sha256"])
            .returning(Blob.sha256)
        )
        return session.scalar(stmt) is not None

    def get(self, session: Session | None, sha256: str) -> bytes | None:
        assert session is not None, "the blobs table is read in a session"
        data = session.scalar(select(Blob.content).where(Blob.sha256 == sha256))
        return None if data is None else _checked(sha256, data, "in the blobs table")


class S3Blobs:
    """Blobs as objects of a bucket, keyed ``PREFIX + sha256``."""

    transactional = False

    def __init__(self, settings: S3Settings, client: S3Client | None = None) -> None:
        self.settings = settings
        if client is None:
            import boto3  # only where a bucket is configured

            client = boto3.client(
                "s3", endpoint_url=settings.endpoint_url, region_name=settings.region
            )
        self.client = client

    def key(self, sha256: str) -> str:
        return f"{self.settings.prefix}{sha256}"

    def put(self, session: Session | None, sha256: str, data: bytes) -> bool:
        from botocore.exceptions import ClientError

        _checked(sha256, data, "for the bucket")
        try:
            self.client.put_object(
                Bucket=self.settings.bucket, Key=self.key(sha256), Body=data, IfNoneMatch="*"
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            # 412: the object is there (the same bytes, by its name); 409: another
            # writer is putting it right now — theirs is the same bytes too.
            if code in ("PreconditionFailed", "ConditionalRequestConflict", "412", "409"):
                return False
            raise
        return True

    def get(self, session: Session | None, sha256: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.settings.bucket, Key=self.key(sha256))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise
        where = f"in bucket {self.settings.bucket}"
        return _checked(sha256, answer["Body"].read(), where)


def _now() -> datetime:
    return datetime.now(UTC)


def open_blob_store(settings: ClusterSettings) -> BlobStore:
    """The store ``[cluster] blob_store`` names."""
    if settings.blob_store == "s3":
        assert settings.s3 is not None  # the settings refuse s3 without its table
        return S3Blobs(settings.s3)
    return TableBlobs()


__all__ = [
    "BlobCorrupted",
    "BlobStore",
    "S3Blobs",
    "TableBlobs",
    "digest",
    "open_blob_store",
]
