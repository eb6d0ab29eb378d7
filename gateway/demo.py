"""The demo workspace: a sample catalog, customers, sites, four partners and their orders.

The demo is built from code (not copied files) so every barcode has a right check
digit and every sample order exercises one resolution path or one rejection reason.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from gateway.catalog.importer import Kind, import_file
from gateway.workspace import Workspace, create_workspace
from parsers.gtin import calc_check_digit

DEMO_CONFIG = """\
# Demo workspace. Reference: README.md, "Configuration".

[supplier]
name = "Maison Dupont Distribution"
gln = "3012345000000"
edi_id = "3012345000000"
edi_qualifier = "14"

[partners.epicerie]
name = "Épicerie du Marché (CSV exported from Excel)"
language = "fr"
mapping = "excel-fr"
quantity_policy = "round_up"
# A single grant: files need name neither customer nor site.
grants = [{ customer = "C001", site = "LYON" }]

[partners.bellevue]
name = "Hôtel Bellevue (XLSX)"
language = "fr"
default_site = "LYON"
grants = [
  { customer = "C002", site = "LYON" },
  { customer = "C002", site = "LILLE" },
]

[partners.retail-edi]
name = "Hypermarchés Réunis (EANCOM ORDERS)"
language = "en"
edi_ids = ["14:5412345000013", "5412345000013"]
grants = [{ customer = "C003", site = "LYON" }]

[partners.us-buyer]
name = "Northwind Buying Group (X12 850)"
language = "en"
edi_ids = ["ZZ:NORTHWIND", "NORTHWIND"]
grants = [{ customer = "C004", site = "LILLE" }]
"""

EXCEL_FR_MAPPING = """\
# Orders exported from a French Excel: ';' separated, decimal comma.
[spreadsheet]
aliases = { quantity = ["Qté cdée"] }
"""


def gtin13(body12: str) -> str:
    return body12 + calc_check_digit(body12)


def gtin14(body13: str) -> str:
    return body13 + calc_check_digit(body13)


#: sku, name, unit, sell multiple, active, barcode body (12 digits), case pack (0 = none)
PRODUCTS = [
    ("CAF-250", "Café moulu pur arabica 250 g", "EA", "1", "1", "301234500101", 12),
    ("CAF-1K", "Café en grains 1 kg", "EA", "1", "1", "301234500102", 6),
    ("THE-VERT", "Thé vert Sencha 100 g", "EA", "1", "1", "301234500103", 0),
    ("THE-NOIR", "Thé noir Earl Grey 100 g", "EA", "1", "1", "301234500104", 0),
    ("CHOC-NOIR", "Chocolat noir 70 % 100 g", "EA", "1", "1", "301234500105", 24),
    ("CHOC-LAIT", "Chocolat au lait 100 g", "EA", "1", "1", "301234500106", 24),
    ("SUC-1K", "Sucre en poudre 1 kg", "EA", "10", "1", "301234500107", 0),
    ("FAR-T55", "Farine de blé T55 1 kg", "EA", "10", "1", "301234500108", 0),
    ("HUI-OLI", "Huile d'olive vierge extra 75 cl", "EA", "6", "1", "301234500109", 6),
    ("VIN-BDX", "Vin rouge Bordeaux AOC 75 cl", "EA", "6", "1", "301234500110", 6),
    ("EAU-GAZ", "Eau gazeuse 1 L", "EA", "6", "1", "301234500111", 6),
    ("CONF-FRA", "Confiture de fraises 370 g", "EA", "1", "1", "301234500112", 0),
    ("MIEL-ACA", "Miel d'acacia 500 g", "EA", "1", "1", "301234500113", 0),
    ("PATE-SPA", "Spaghetti 500 g", "EA", "1", "1", "301234500114", 20),
    ("RIZ-BAS", "Riz basmati 1 kg", "EA", "1", "1", "301234500115", 0),
    ("SEL-FIN", "Sel fin de Guérande 250 g", "EA", "1", "1", "301234500116", 0),
    ("POIV-NOI", "Poivre noir moulu 50 g", "EA", "1", "1", "301234500117", 0),
    ("BISC-BEU", "Biscuits pur beurre 200 g", "EA", "1", "0", "301234500118", 0),
    ("FROM-KG", "Comté AOP 18 mois (au kg)", "KG", "0.5", "1", "301234500119", 0),
    ("LAIT-UHT", "Lait demi-écrémé UHT 1 L", "EA", "6", "1", "301234500120", 6),
]

CUSTOMERS = [
    ("C001", "Épicerie du Marché", "3098765000011"),
    ("C002", "Hôtel Bellevue", "3098765000028"),
    ("C003", "Hypermarchés Réunis", "5412345000013"),
    ("C004", "Northwind Buying Group", "0614141000036"),
]
SITES = [
    ("LYON", "Entrepôt de Lyon", "3012345000017"),
    ("LILLE", "Entrepôt de Lille", "3012345000024"),
]


def _csv(rows: list[list[str]]) -> bytes:
    return ("\n".join(";".join(r) for r in rows) + "\n").encode("utf-8")


def write_masterdata(folder: Path) -> dict[Kind, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    prod = [["sku", "name", "unit", "sell_multiple", "active", "barcode", "pack_qty"]]
    for sku, name, unit, mult, active, body, pack in PRODUCTS:
        prod.append([sku, name, unit, mult, active, gtin13(body), "1"])
        if pack:
            prod.append([sku, "", "", "", "", gtin14("1" + body), str(pack)])
    files = {
        Kind.PRODUCTS: (prod, "products.csv"),
        Kind.CUSTOMERS: ([["code", "name", "gln"], *map(list, CUSTOMERS)], "customers.csv"),
        Kind.SITES: ([["code", "name", "gln"], *map(list, SITES)], "sites.csv"),
        Kind.ASSORTMENTS: (
            [["customer", "sku"]] + [["C002", p[0]] for p in PRODUCTS if p[0] != "VIN-BDX"],
            "assortments.csv",
        ),
        Kind.CUSTOMER_REFS: (
            [
                ["customer", "customer_ref", "sku"],
                ["C001", "EPI-0042", "MIEL-ACA"],
                ["C003", "HR-77001", "CAF-250"],
                ["C003", "HR-77002", "THE-VERT"],
            ],
            "customer-refs.csv",
        ),
    }
    out = {}
    for kind, (rows, name) in files.items():
        path = folder / name
        path.write_bytes(_csv(rows))
        out[kind] = path
    return out


def sample_csv_order() -> bytes:
    """An Excel-French CSV: cp1252, ';', decimal comma, one line per resolution path."""
    b = {p[0]: gtin13(p[5]) for p in PRODUCTS}
    rows = [
        ["N° commande", "Code-barre", "Référence", "Désignation", "Qté cdée", "Commentaire"],
        ["EPI-2026-118", b["CAF-250"], "", "Café moulu pur arabica 250 g", "12", ""],
        [
            "EPI-2026-118",
            gtin14("1" + "301234500105"),
            "",
            "Chocolat noir (carton)",
            "2",
            "2 cartons",
        ],
        ["EPI-2026-118", "", "SUC-1K", "Sucre", "15", "arrondi au multiple"],
        ["EPI-2026-118", "", "", "Confiture fraise 370g", "4", ""],
        ["EPI-2026-118", "", "EPI-0042", "", "3", ""],
        ["EPI-2026-118", "3012345009990", "", "Produit inconnu", "1", ""],
        ["EPI-2026-118", b["BISC-BEU"], "", "Biscuits pur beurre", "5", ""],
        ["EPI-2026-118", b["FROM-KG"], "", "Comté", "2,5", "au kg"],
    ]
    text = "\r\n".join(";".join(r) for r in rows) + "\r\n"
    return text.encode("cp1252")


def sample_xlsx_order() -> bytes:
    """A readable XLSX order: a title and a header block, header on row 4, numeric
    barcodes, two orders, a total row and a note under the table (the orders' comment)."""
    from openpyxl import Workbook

    b = {p[0]: int(gtin13(p[5])) for p in PRODUCTS}
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Commande"
    ws.append(["Hôtel Bellevue — bon de commande"])
    ws.append(["Client", "C002"])
    ws.append([])
    ws.append(
        ["N° commande", "Site", "EAN", "Désignation", "Quantité commandée", "Date de livraison"]
    )
    ws.append(["HB-5531", "LYON", b["CAF-1K"], "Café en grains 1 kg", 6, "05/12/2026"])
    ws.append(["HB-5531", "LYON", float(b["HUI-OLI"]), "Huile d'olive", 12, "05/12/2026"])
    ws.append(["HB-5531", "LYON", b["VIN-BDX"], "Vin rouge Bordeaux", 6, "05/12/2026"])
    ws.append(["HB-5532", "LILLE", b["EAU-GAZ"], "Eau gazeuse", 24, "06/12/2026"])
    ws.append(["HB-5532", "LILLE", b["LAIT-UHT"], "Lait UHT", 7, "06/12/2026"])
    ws.append([])
    ws.append(["Total", None, None, None, 55])
    ws.append(["Merci de livrer avant 10h, quai B. Contact : Marie 06 12 34 56 78"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- EDI samples --------------------------------------------------------------------------
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


def _drop_edi_samples(ws: Workspace) -> None:
    now = datetime.now()
    (ws.inbox("retail-edi") / "ORDERS_HR-PO-88412.edi").write_bytes(sample_edifact_order(now))
    (ws.inbox("us-buyer") / "850_NW-4410.x12").write_bytes(sample_x12_order(now))


def create_demo(root: Path, *, force: bool = False) -> Workspace:
    """A workspace with the demo's partners and master data, and a sample order in each
    partner's inbox (``run --once`` processes them)."""
    ws = create_workspace(
        root, force=force, config=DEMO_CONFIG, mappings={"excel-fr": EXCEL_FR_MAPPING}
    )
    files = write_masterdata(root / "masterdata")
    with ws.sessions.begin() as s:
        for kind, path in files.items():
            report = import_file(s, kind, path)
            if report.error_count:  # the demo data is ours: any error is a bug
                raise RuntimeError(f"demo {kind.value}: {report.errors}")
    (ws.inbox("epicerie") / "commande_EPI-2026-118.csv").write_bytes(sample_csv_order())
    (ws.inbox("bellevue") / "bon_de_commande_HB.xlsx").write_bytes(sample_xlsx_order())
    _drop_edi_samples(ws)
    return ws


__all__ = ["create_demo"]
