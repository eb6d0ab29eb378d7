"""An uploaded file, read from the request as it streams in, never past a size limit.

The browser's upload form and ``POST /api/v1/files`` both send ``multipart/form-data``
with the file in field ``file``. A request whose Content-Length already says it is over
the partner's ``max_file_size`` is refused before a byte is read; otherwise the file's
bytes are counted as they come and the request is refused the moment they pass the
limit. Nothing is written anywhere until the whole file is in hand: what goes to the
intake is complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from gateway.errors import Refused, Unreadable

#: Room for the multipart boundaries, part headers and the small fields beside the file
OVERHEAD = 16 * 1024
#: The small fields (a CSRF token) together, at most
FIELDS_LIMIT = 16 * 1024


class TooLarge(Refused):
    """The file is over the partner's size limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the file is over the limit of {limit:,} bytes")


class BadUpload(Unreadable):
    """The request holds no file to take."""


@dataclass
class Upload:
    filename: str
    data: bytes
    fields: dict[str, str] = field(default_factory=dict)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


def safe_filename(name: str) -> str:
    """The name a file is kept under: its last path part, no control characters, no
    leading dots (a dot-name is a temporary one to the inbox rules).

    >>> safe_filename("C:\\\\exports\\\\..\\\\.cde 12.csv"), safe_filename("")
    ('cde 12.csv', 'upload')
    """
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).lstrip(". ").strip()
    return name[:200] or "upload"


class _Parts:
    """Callbacks of the multipart parser: the file part's bytes, the other fields."""

    def __init__(self, file_field: str, limit: int) -> None:
        self.file_field, self.limit = file_field, limit
        self.header_field = bytearray()
        self.header_value = bytearray()
        self.headers: dict[bytes, bytes] = {}
        self.name: str | None = None
        self.filename: str | None = None
        self.buffer = bytearray()
        self.file: bytearray | None = None
        self.file_name: str | None = None
        self.fields: dict[str, str] = {}
        self.field_bytes = 0
        self.over = False

    def on_part_begin(self) -> None:
        self.headers, self.buffer = {}, bytearray()
        self.name = self.filename = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[bytes(self.header_field).lower()] = bytes(self.header_value)
        self.header_field, self.header_value = bytearray(), bytearray()

    def on_headers_finished(self) -> None:
        _, params = parse_options_header(self.headers.get(b"content-disposition", b""))
        raw_name, raw_file = params.get(b"name"), params.get(b"filename")
        self.name = raw_name.decode("utf-8", "replace") if raw_name else None
        self.filename = raw_file.decode("utf-8", "replace") if raw_file is not None else None

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        is_file = self.name == self.file_field and self.filename is not None
        if is_file and self.file is None:
            self.file, self.file_name = self.buffer, self.filename
        self.buffer += data[start:end]
        if is_file:
            self.over = self.over or len(self.buffer) > self.limit
        else:
            self.field_bytes += end - start
            self.over = self.over or self.field_bytes > FIELDS_LIMIT

    def on_part_end(self) -> None:
        if self.name == self.file_field and self.filename is not None:
            if self.file is None:  # an empty file: no data callback came
                self.file, self.file_name = self.buffer, self.filename
        elif self.name is not None:
            self.fields[self.name] = self.buffer.decode("utf-8", "replace")

    def on_end(self) -> None:
        pass


async def read_upload(request: Request, *, limit: int, file_field: str = "file") -> Upload:
    """The file in ``file_field`` and the other fields; :class:`TooLarge` past ``limit``
    bytes of file, :class:`BadUpload` when there is no file."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + OVERHEAD:
        raise TooLarge(limit)
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        raise BadUpload(f"send the file as multipart/form-data, in field {file_field!r}")
    parts = _Parts(file_field, limit)
    callbacks = {name: getattr(parts, name) for name in (
        "on_part_begin", "on_part_data", "on_part_end", "on_header_field",
        "on_header_value", "on_header_end", "on_headers_finished", "on_end",
    )}  # fmt: skip
    parser = MultipartParser(params[b"boundary"], callbacks)  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if parts.over:
                raise TooLarge(limit)
        parser.finalize()
    except TooLarge:
        raise
    except Exception as exc:  # noqa: BLE001 — a broken body is the sender's, said plainly
        raise BadUpload(f"the multipart body cannot be read ({type(exc).__name__})") from None
    if parts.file is None or parts.file_name is None:
        raise BadUpload(f"no file in field {file_field!r}")
    return Upload(safe_filename(parts.file_name), bytes(parts.file), parts.fields)


__all__ = ["BadUpload", "TooLarge", "Upload", "read_upload", "safe_filename"]
