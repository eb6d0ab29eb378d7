"""The blob store: a received file's bytes once by sha256, in a table or an S3 bucket
(moto's server on loopback), written create-if-absent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gateway.config.cluster import S3Settings
from gateway.store.blobs import BlobCorrupted, S3Blobs, TableBlobs, digest
from gateway.store.models import Blob
from gateway.workspace import Workspace

DATA = b"N\xc2\xb0 commande;Code-barre;Quantit\xc3\xa9\nPO-1;4006381333931;2\n"


def test_the_table_keeps_the_bytes_once_by_sha256(workspace: Workspace) -> None:
    blobs = TableBlobs()
    with workspace.sessions.begin() as s:
        assert blobs.put(s, digest(DATA), DATA) is True
    with workspace.sessions.begin() as s:
        assert blobs.put(s, digest(DATA), DATA) is False  # the same bytes again: nothing
    with workspace.sessions() as s:
        assert blobs.get(s, digest(DATA)) == DATA
        assert s.scalar(select(func.count()).select_from(Blob)) == 1


def test_the_table_has_nothing_under_an_unknown_sha256(workspace: Workspace) -> None:
    with workspace.sessions() as s:
        assert TableBlobs().get(s, "0" * 64) is None


def test_bytes_are_refused_under_a_name_that_is_not_their_sha256(workspace: Workspace) -> None:
    with workspace.sessions.begin() as s, pytest.raises(BlobCorrupted):
        TableBlobs().put(s, "0" * 64, DATA)


@pytest.fixture
def bucket(s3_server, s3_bucket: str) -> S3Blobs:  # noqa: ANN001
    return S3Blobs(S3Settings(bucket=s3_bucket, endpoint_url=s3_server.endpoint), None)


def test_a_bucket_object_is_named_by_its_sha256(bucket: S3Blobs, s3_server) -> None:  # noqa: ANN001
    assert bucket.put(None, digest(DATA), DATA) is True
    head = s3_server.client().head_object(
        Bucket=bucket.settings.bucket, Key=bucket.key(digest(DATA))
    )
    assert head["ContentLength"] == len(DATA)
    assert bucket.get(None, digest(DATA)) == DATA


def test_a_repeated_upload_after_a_crash_is_a_no_op(bucket: S3Blobs, s3_server) -> None:  # noqa: ANN001
    client, key = s3_server.client(), bucket.key(digest(DATA))
    bucket.put(None, digest(DATA), DATA)
    before = client.head_object(Bucket=bucket.settings.bucket, Key=key)
    # The poller died after its upload, before its commit: taken again, it uploads again
    assert bucket.put(None, digest(DATA), DATA) is False
    after = client.head_object(Bucket=bucket.settings.bucket, Key=key)
    assert (after["ETag"], after["LastModified"]) == (before["ETag"], before["LastModified"])
    listed = client.list_objects_v2(Bucket=bucket.settings.bucket)["Contents"]
    assert [o["Key"] for o in listed] == [key]


def test_a_bucket_has_nothing_under_an_unknown_sha256(bucket: S3Blobs) -> None:
    assert bucket.get(None, "0" * 64) is None


def test_a_tampered_object_is_not_handed_back(bucket: S3Blobs, s3_server) -> None:  # noqa: ANN001
    s3_server.client().put_object(
        Bucket=bucket.settings.bucket, Key=bucket.key(digest(DATA)), Body=b"other bytes"
    )
    with pytest.raises(BlobCorrupted):
        bucket.get(None, digest(DATA))
