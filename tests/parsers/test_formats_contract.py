"""Every format in ``parsers.FORMATS`` keeps the same contract on any bytes at all.

``recognise`` answers True or False and never raises; ``read`` returns a result or
raises a :class:`~parsers.errors.ParseError` subclass, and nothing else — whatever a
partner, a broken transfer or a wrong folder puts in front of it.  Every format is fed
the same inputs: junk, empty and BOM-only bytes, each format's valid samples cut at
many points, the samples with a few bytes damaged (a fixed seed, so a failure
repeats), and the samples with each digit in turn made a superscript.  The samples of
one format are junk to the others.
"""

from __future__ import annotations

import codecs
import io
import os
import random
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest

from parsers import FORMATS
from parsers.detect import detect_format
from parsers.document import ReadResult, SourceFormat
from parsers.errors import ParseError

from .edifact.builders import interchange as edifact_interchange
from .edifact.builders import orders_message
from .x12.builders import group, order_set
from .x12.builders import interchange as x12_interchange

# --------------------------------------------------------------------------- samples


def _csv_samples() -> list[bytes]:
    french = (
        "N° commande;Code-barre;Désignation;Qté;Prix;Livraison\r\n"
        "CMD-1;4006381333931;Stylo à bille;12;1,50;15/06/2024\r\n"
        'CMD-1;3017620422003;"Pâte; à tartiner";2,5;3;\r\n'
        "Total;;;14,5;;\r\n"
    )
    unicode_text = "Code-barre\tQté\r\n4006381333931\t12\r\n"
    return [french.encode("utf-8-sig"), french.encode("cp1252"), unicode_text.encode("utf-16")]


def _xlsx_sample() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Commande"
    sheet.append(["Code-barre", "Désignation", "Qté", "Date de livraison"])
    sheet.append(["4006381333931", "Stylo", 12, "15/06/2024"])
    sheet.append([3017620422003, "Pâte", 2.5, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _edifact_samples() -> list[bytes]:
    full = orders_message(
        body=[
            "BGM+220+PO?+1+9",
            "DTM+137:20240105:102",
            "NAD+BY+5412345000013::9",
            "CUX+2:EUR:9",
            "FTX+AAI+++gate 3?'s door",
            "LIN+1++4000862141404:EN",
            "PIA+5+SKU1:SA",
            "IMD+F++:::Stylo:bleu",
            "QTY+21:5",
            "PRI+AAA:1,5",
            "LIN+2++0123456789:IB",
            "QTY+1:2",
            "UNS+S",
            "CNT+2:2",
        ]
    )
    grouped = [
        "UNG+ORDERS+SENDER:14+RECEIVER:14+240105:1200+G7+UN+D:96A",
        *orders_message("M1"),
        "UNE+1+G7",
    ]
    contrl = ["UNH+CM1+CONTRL:D:3:UN", "UCI+IC9+A:14+B:14+7", "UNT+3+CM1"]
    return [
        edifact_interchange(orders_message("1"), orders_message("2")).encode(),
        edifact_interchange(full, una="UNA:+,? '").encode(),
        edifact_interchange(grouped, syntax="UNOB:4", una=None, sep="").encode(),
        edifact_interchange(contrl).encode(),
    ]


def _x12_samples() -> list[bytes]:
    lines = (
        ("1", "10", "EA", "2.50", "", "UP", "012345678905", "VN", "SKU1"),
        ("2", "1.5", "CS", "3", "", "EN", "4006381333931"),
    )
    extra = (("CUR", "BY", "EUR"), ("DTM", "002", "20240115"), ("N1", "ST", "DC", "92", "DC4"))
    ack = [
        ["ST", "997", "0001"],
        ["AK1", "PR", "43"],
        ["AK2", "855", "0044"],
        ["AK5", "R", "5"],
        ["AK9", "P", "1", "1", "0"],
        ["SE", "6", "0001"],
    ]
    odd = x12_interchange(
        [group([order_set()], version="005010")],
        element="|",
        component="^",
        repetition="!",
        version="00501",
    )
    return [
        x12_interchange(
            [group([order_set("0001", lines=lines, extra=extra), order_set("0002")])]
        ).encode(),
        x12_interchange([group([ack], functional_id="FA")]).encode(),
        odd.encode(),
    ]


SAMPLES: dict[SourceFormat, list[bytes]] = {
    SourceFormat.CSV: _csv_samples(),
    SourceFormat.XLSX: [_xlsx_sample()],
    SourceFormat.EDIFACT: _edifact_samples(),
    SourceFormat.X12: _x12_samples(),
}

# --------------------------------------------------------------------------- inputs

BOMS = [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]

JUNK = [
    b"",
    *BOMS,
    codecs.BOM_UTF8 + b" \r\n",
    b" \t\r\n",
    b"\x00" * 64,
    b"hello, world",
    bytes(range(256)),
    b"PK\x03\x04",
    b"PK\x03\x04" + b"\x00" * 40,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40,
    b"%PDF-1.7\n",
    b"UNA",
    b"UNA:+.? '",
    b"UNB+",
    b"UNA:+.? 'UNB+UNOC:3+A+B'",
    b"ISA",
    b"ISA*",
    b"ISA*00*" + b" " * 200,
    b"'" * 20,
    b"~" * 20,
    b";;;\r\n;;;\r\n",
    b'"never closed\r\n1;2\r\n',
]

#: Bytes that mean something to some reader: separators, quotes, digits, BOM and NUL
#: bytes, and 0xB2 / 0xC2 0xB2 ("²" in Latin-1 and UTF-8: isdigit() says yes, int() no).
_MEANINGFUL = b"+:'?*~>^|\n\r \t0123456789AEINSU-.,\";\x00\xff\xef\xbb\xbf\xb2\xc2"


def _damaged(sample: bytes, rng: random.Random) -> bytes:
    """``sample`` with one to four bytes replaced, removed, inserted or repeated."""
    data = bytearray(sample)
    for _ in range(rng.randrange(1, 5)):
        at = rng.randrange(len(data))
        operation = rng.randrange(5)
        if operation == 0:
            data[at] = rng.randrange(256)
        elif operation == 1:
            data[at] = rng.choice(_MEANINGFUL)
        elif operation == 2 and len(data) > 1:
            del data[at]
        elif operation == 3:
            data.insert(at, rng.choice(_MEANINGFUL))
        else:
            start = rng.randrange(len(data))
            data[at:at] = data[start : start + rng.randrange(1, 40)]
    return bytes(data)


def _superscript_digits(sample: bytes) -> Iterator[bytes]:
    """``sample`` with each ASCII digit in turn written as "²" (0xB2, Latin-1): a count,
    date or code that ``str.isdigit`` accepts and ``int`` refuses."""
    for at, byte in enumerate(sample):
        if 0x30 <= byte <= 0x39:
            yield sample[:at] + b"\xb2" + sample[at + 1 :]


def _cuts(sample: bytes) -> Iterator[bytes]:
    """``sample`` cut at many points: every byte of a small file, ~150 points of a big one."""
    step = max(1, len(sample) // 150)
    for end in range(0, len(sample), step):
        yield sample[:end]
    for start in range(1, len(sample), max(1, len(sample) // 20)):
        yield sample[start:]  # the head lost instead of the tail


def _inputs() -> list[bytes]:
    rng = random.Random(20240105)
    found = list(JUNK)
    found += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))) for _ in range(50)]
    for samples in SAMPLES.values():
        for sample in samples:
            found += _cuts(sample)
            found += [bom + sample[: len(sample) // 2] for bom in BOMS]
            found += [_damaged(sample, rng) for _ in range(300)]
            if len(sample) < 2000:  # text samples; a zip would only fail its checksums
                found += _superscript_digits(sample)
    return found


INPUTS = _inputs()
EVERY_SAMPLE = [sample for samples in SAMPLES.values() for sample in samples]


def _failures(
    call: Callable[[bytes], object], inputs: list[bytes], allowed: tuple[type[Exception], ...]
) -> list[str]:
    """What went against the contract, one line per distinct exception, with an input."""
    failures: dict[str, str] = {}
    for data in inputs:
        try:
            call(data)
        except allowed as error:
            if not str(error):
                failures.setdefault(f"{type(error).__name__} without a message", repr(data[:120]))
        except Exception as error:  # the contract under test: nothing else may escape
            frames = traceback.extract_tb(error.__traceback__)
            ours = [f for f in frames if f"{os.sep}parsers{os.sep}" in f.filename] or frames
            where = "/".join(Path(ours[-1].filename).parts[-2:]) + f":{ours[-1].lineno}"
            failures.setdefault(f"{where} {type(error).__name__}: {error}"[:200], repr(data))
    return [f"{key} <- {data[:300]}" for key, data in failures.items()]


# --------------------------------------------------------------------------- the contract


def test_every_source_format_has_a_codec() -> None:
    assert set(FORMATS) == set(SourceFormat)


@pytest.mark.parametrize("fmt", list(SourceFormat), ids=str)
def test_each_codec_reads_its_own_samples(fmt: SourceFormat) -> None:
    codec = FORMATS[fmt]
    for sample in SAMPLES[fmt]:
        assert codec.recognise(sample)
        result = codec.read(sample)
        assert isinstance(result, ReadResult)
        assert all(document.format is fmt for document in result.documents)
    assert any(codec.read(sample).documents for sample in SAMPLES[fmt])


@pytest.mark.parametrize("fmt", list(SourceFormat), ids=str)
def test_recognise_never_raises_and_answers_a_bool(fmt: SourceFormat) -> None:
    recognise = FORMATS[fmt].recognise

    def call(data: bytes) -> None:
        answer = recognise(data)
        if not isinstance(answer, bool):
            raise TypeError(f"recognise answered {answer!r}")

    assert _failures(call, INPUTS + EVERY_SAMPLE, allowed=()) == []


@pytest.mark.parametrize("fmt", list(SourceFormat), ids=str)
def test_read_returns_a_result_or_raises_only_parse_errors(fmt: SourceFormat) -> None:
    read = FORMATS[fmt].read

    def call(data: bytes) -> None:
        result = read(data)
        if not isinstance(result, ReadResult):
            raise TypeError(f"read returned {result!r}")

    assert _failures(call, INPUTS + EVERY_SAMPLE, allowed=(ParseError,)) == []


def test_empty_and_bom_only_bytes_are_a_parse_error_for_every_codec() -> None:
    for fmt, codec in FORMATS.items():
        for data in [b"", *BOMS]:
            assert not codec.recognise(data), (fmt, data)
            with pytest.raises(ParseError):
                codec.read(data)


def test_detect_format_raises_only_parse_errors() -> None:
    assert _failures(detect_format, INPUTS + EVERY_SAMPLE, allowed=(ParseError,)) == []
