"""Small real X12 interchanges for tests, built segment by segment."""

from __future__ import annotations

SENDER = "BUYERCO"
RECEIVER = "SUPPLIERCO"


def isa(
    control: str = "000000001",
    *,
    element: str = "*",
    component: str = ">",
    repetition: str = "U",
    version: str = "00401",
    usage: str = "P",
    ack: str = "0",
) -> list[str]:
    return [
        "ISA", "00", " " * 10, "00", " " * 10, "ZZ", SENDER.ljust(15), "ZZ",
        RECEIVER.ljust(15), "240102", "1030", repetition, version, control, ack, usage,
        component,
    ]  # fmt: skip


def order_set(
    control: str = "0001",
    *,
    po: str = "PO-1",
    lines: tuple[tuple[str, ...], ...] = (("1", "10", "EA", "2.50", "", "UP", "012345678905"),),
    extra: tuple[tuple[str, ...], ...] = (),
    se_count: int | None = None,
    se_control: str | None = None,
) -> list[list[str]]:
    body: list[list[str]] = [["BEG", "00", "SA", po, "", "20240102"], *map(list, extra)]
    for line in lines:
        body.append(["PO1", *line])
    body.append(["CTT", str(len(lines))])
    count = len(body) + 2 if se_count is None else se_count
    return [["ST", "850", control], *body, ["SE", str(count), se_control or control]]


def group(
    sets: list[list[list[str]]],
    control: str = "1",
    *,
    functional_id: str = "PO",
    version: str = "004010",
    ge_count: int | None = None,
    ge_control: str | None = None,
) -> list[list[str]]:
    segments = [["GS", functional_id, SENDER, RECEIVER, "20240102", "1030", control, "X", version]]
    for s in sets:
        segments += s
    count = len(sets) if ge_count is None else ge_count
    segments.append(["GE", str(count), ge_control or control])
    return segments


def interchange(
    groups: list[list[list[str]]],
    control: str = "000000001",
    *,
    element: str = "*",
    component: str = ">",
    terminator: str = "~",
    line_ending: str = "\n",
    repetition: str = "U",
    version: str = "00401",
    iea_count: int | None = None,
    iea_control: str | None = None,
    with_iea: bool = True,
) -> str:
    segments = [
        isa(control, element=element, component=component, repetition=repetition, version=version)
    ]
    for g in groups:
        segments += g
    if with_iea:
        count = len(groups) if iea_count is None else iea_count
        segments.append(["IEA", str(count), iea_control or control])
    end = terminator + line_ending
    return "".join(element.join(s) + end for s in segments)


def one_order(**kwargs: object) -> bytes:
    """A complete, valid interchange holding one 850 (kwargs go to :func:`order_set`)."""
    return interchange([group([order_set(**kwargs)])]).encode("ascii")  # type: ignore[arg-type]
