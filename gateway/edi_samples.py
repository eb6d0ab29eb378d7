"""Sample EANCOM ORDERS and X12 850 files for the demo workspace, built from the demo catalog."""

from __future__ import annotations

from datetime import datetime

from gateway.demo import PRODUCTS, gtin13
from gateway.workspace import Workspace


def _barcode(sku: str) -> str:
    return next(gtin13(p[5]) for p in PRODUCTS if p[0] == sku)


def sample_edifact_order(when: datetime) -> bytes:
    segs = [
        "UNB+UNOC:3+5412345000013:14+3012345000000:14+{d}:{t}+HR000451'",
        "UNH+1+ORDERS:D:96A:UN:EAN008'",
        "BGM+220+HR-PO-88412+9'",
        "DTM+137:{D}:102'",
        "DTM+2:{D2}:102'",
        "NAD+BY+5412345000013::9'",
        "NAD+SU+3012345000017::9'",
        "NAD+DP+5412345000013::9'",
        "CUX+2:EUR:9'",
        f"LIN+1++{_barcode('CAF-250')}:EN'",
        "QTY+21:24:PCE'",
        "LIN+2'",
        "PIA+5+HR-77002:IN'",
        "IMD+F++:::Thé vert Sencha'",
        "QTY+21:10:PCE'",
        f"LIN+3++{_barcode('RIZ-BAS')}:EN'",
        "QTY+21:8:PCE'",
        "LIN+4++4000000000006:EN'",
        "QTY+21:3:PCE'",
        "UNS+S'",
        "CNT+2:4'",
    ]
    body = [
        s.format(
            d=when.strftime("%y%m%d"),
            t=when.strftime("%H%M"),
            D=when.strftime("%Y%m%d"),
            D2=when.strftime("%Y%m%d"),
        )
        for s in segs
    ]
    count = len(body) - 1 + 1  # UNH … UNT inclusive
    body.append(f"UNT+{count}+1'")
    body.append("UNZ+1+HR000451'")
    return ("\n".join(body) + "\n").encode("latin-1")


def sample_x12_order(when: datetime) -> bytes:
    isa = (
        "ISA*00*          *00*          *ZZ*NORTHWIND      *14*3012345000000  *"
        f"{when:%y%m%d}*{when:%H%M}*U*00401*000000917*0*P*>~"
    )
    st = [
        "ST*850*0001",
        f"BEG*00*SA*NW-4410**{when:%Y%m%d}",
        "CUR*BY*USD",
        "N1*BY*Northwind Buying Group*UL*0614141000036",
        "N1*SE*Maison Dupont Distribution*UL*3012345000024",
        f"PO1*1*12*EA*4.10**EN*{_barcode('CHOC-LAIT')}",
        "PID*F****MILK CHOCOLATE 100G",
        "PO1*2*6*EA*7.90**VP*HUI-OLI",
        "PO1*3*5*EA*2.20**VP*NOPE-999",
        "PID*F****UNKNOWN ITEM",
        "CTT*3*23",
    ]
    st.append(f"SE*{len(st) + 1}*0001")
    segs = [
        isa.rstrip("~"),
        f"GS*PO*NORTHWIND*3012345000000*{when:%Y%m%d}*{when:%H%M}*917*X*004010",
        *st,
        "GE*1*917",
        "IEA*1*000000917",
    ]
    return ("~\n".join(segs) + "~\n").encode("ascii")


def drop_samples(ws: Workspace) -> None:
    now = datetime.now()
    (ws.inbox("retail-edi") / "ORDERS_HR-PO-88412.edi").write_bytes(sample_edifact_order(now))
    (ws.inbox("us-buyer") / "850_NW-4410.x12").write_bytes(sample_x12_order(now))
