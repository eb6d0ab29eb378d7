"""Time writing our big EDI order responses, ORDRSP and 855, side by side.

An order response is written once to send and once more (with neutral references) to
tell whether it says anything new to the partner (gateway/replies/order_responses.py):
this shows what one writing of a 100,000-line response costs in each syntax, with the
partner's echoed item ids, interleaved, min and median of the repetitions.

    python bench/bench_edi_replies.py [--lines 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.document import (  # noqa: E402
    Envelope,
    ItemId,
    LineStatus,
    OrderResponse,
    ResponseKind,
    ResponseLine,
)
from parsers.edifact import write_ordrsp  # noqa: E402
from parsers.x12 import write_855  # noqa: E402

WHEN = datetime(2025, 1, 2, 10, 0)


def response(lines: int, message_type: str) -> OrderResponse:
    return OrderResponse(
        kind=ResponseKind.CHANGED,
        order_number="PO-BENCH",
        order_status="validated",
        response_number="1",
        issued_at=date(2025, 1, 2),
        envelope=Envelope(message_type=message_type),
        lines=[
            ResponseLine(
                line_no=n,
                status=LineStatus.ACCEPTED if n % 10 else LineStatus.ADJUSTED,
                external_id=str(n),
                sku=f"SKU-{n % 5000}",
                name="Ground coffee arabica 250 g",
                ordered_quantity=Decimal(n % 40 + 1),
                confirmed_quantity=Decimal(n % 40 + 1),
                unit="EA",
                unit_price=Decimal("4.10"),
                item_ids=[ItemId("EN", "4006381333931", "LIN03")],
            )
            for n in range(1, lines + 1)
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    edifact_response = response(args.lines, "ORDERS:D:01B:UN:EAN010")
    x12_response = response(args.lines, "850")

    def ordrsp() -> bytes:
        return write_ordrsp(
            edifact_response,
            sender_id="3012345000000",
            sender_qualifier="14",
            recipient_id="5412345000013",
            recipient_qualifier="14",
            interchange_ref="1",
            message_ref="1",
            when=WHEN,
        )

    def po_ack() -> bytes:
        return write_855(
            x12_response,
            sender_id="3012345000000",
            sender_qualifier="14",
            receiver_id="NORTHWIND",
            receiver_qualifier="ZZ",
            interchange_control=1,
            group_control=1,
            set_control=1,
            when=WHEN,
        )

    runs: dict[str, list[float]] = {"ORDRSP": [], "855": []}
    sizes: dict[str, int] = {}
    for _ in range(args.repeat):  # interleaved: machine load hits both alike
        for name, write in (("ORDRSP", ordrsp), ("855", po_ack)):
            started = time.perf_counter()
            sizes[name] = len(write())
            runs[name].append(time.perf_counter() - started)
    for name, times in runs.items():
        print(
            f"{name:7} {args.lines:,} lines, {sizes[name] / 1e6:.1f} MB: "
            f"min {min(times):.3f} s, median {statistics.median(times):.3f} s"
        )


if __name__ == "__main__":
    main()
