"""Name matching on a generated, labelled set: today's matcher beside gateway.rules.names.

The catalog is made of *families* of siblings that differ only by variety, variant
(``bio``, ``sans sucre``…), size, pack or brand — ``Confiture de fraises 370 g``,
``Confiture de fraises bio 370 g``, ``Confiture d'abricots Maison Dupont 1 kg``… — at
least 5,000 products. The queries are what a person types for one of them: the name
with other units (``0,5 kg``, ``1l5``, ``1 kilo``), plurals, another word order, words
left out, abbreviations, a typo, ``oe`` for ``œ``, other case and accents; and queries
that must not match (a variety, size or variant the catalog does not have; things that
are not groceries at all).

Each query is labelled from the attributes the generator kept, not by any matcher: the
products that may be meant are those whose attributes agree with every attribute the
query states (a query without a pack count means one item, not a pack of six); the one
meant is the one of them that every other one is, plus more (a variant, a brand):
``Confiture de fraises 370 g`` is the plain one, not the ``bio``. When there is no such
product — several that differ (another size, another variety), or none — no product may
be accepted.

For each matcher and catalog size it reports:

* precision: correct products among the accepted ones (a wrong product accepted is the
  worst outcome: the customer receives something else);
* recall: correct products among the queries that name one;
* the time to resolve one name line, p50 and p95 (the whole name step of
  ``gateway.rules.resolve``: exact name key first, then the matcher), each repetition
  running both matchers over the queries interleaved; min and median over repetitions.

The 1,000,000-product catalog is the labelled one plus generated fillers: families with
made-up names, and the labelled families again under made-up brands (so ``Chocolat``
names tens of thousands of products); labels are recomputed over the whole catalog.
Today's matcher scores every name in the catalog for each line, so at 1,000,000 it runs
on a sample of the queries only (``--today-sample``).

Run by hand:  python bench/bench_names.py [--repeat 3] [--large 1000000] [--today-sample 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.rules.names import NameIndex  # noqa: E402
from gateway.rules.products import ProductInfo, name_key  # noqa: E402
from gateway.rules.resolve import NameMatcher, resolve_line  # noqa: E402
from parsers.document import OrderLine  # noqa: E402

# ------------------------------------------------------------------ the catalog's families

#: The families: "head | plural | variants | sizes | packs", then one line per variety,
#: "key: rendering / rendering…" (the first rendering is the catalog's; the others are
#: what people write for the same variety, never a synonym a matcher could not know)
FAMILY_TABLE = """
Confiture | Confitures | bio, allégée | 370 g, 750 g, 1 kg | -
    fraise: de fraises / fraise / à la fraise
    abricot: d'abricots / abricot
    framboise: de framboises / framboise
    cerise: de cerises noires / cerise noire
    orange: d'oranges amères / orange amère
    figue: de figues / figue
Chocolat | Chocolats | bio, équitable | 100 g, 200 g, 1 kg | -
    noir70: noir 70 % cacao / noir 70%
    noir85: noir 85 % cacao / noir 85%
    lait: au lait / lait
    blanc: blanc
    noisette: au lait noisettes / lait noisette
Café | Cafés | bio, équitable | 250 g, 500 g, 1 kg | -
    moulu_arabica: moulu pur arabica / moulu arabica
    grains: en grains / grains
    moulu_robusta: moulu robusta
    deca: décaféiné moulu / décaféiné
    capsules: capsules intenso / capsule intenso
Thé | Thés | bio | 100 g, 250 g | -
    vert_sencha: vert Sencha / vert sencha
    noir_earl: noir Earl Grey / Earl Grey
    menthe: vert à la menthe / menthe
    rooibos: rooibos vanille / rooibos
    darjeeling: noir Darjeeling / Darjeeling
Sucre | Sucres | bio | 500 g, 1 kg, 5 kg | -
    poudre: en poudre / poudre
    morceaux: en morceaux / morceaux
    roux: roux de canne / roux
    glace: glace
Farine | Farines | bio | 1 kg, 5 kg, 25 kg | -
    t45: de blé T45 / T45
    t55: de blé T55 / T55
    t65: de blé T65 / T65
    seigle: de seigle / seigle
    sarrasin: de sarrasin / sarrasin
Huile | Huiles | bio | 50 cl, 75 cl, 1 l, 5 l | packs
    olive_ve: d'olive vierge extra / olive vierge extra
    tournesol: de tournesol / tournesol
    colza: de colza / colza
    noix: de noix / noix
    sesame: de sésame / sésame
Vin | Vins | bio | 75 cl, 150 cl | packs
    rouge_bdx: rouge Bordeaux AOC / rouge Bordeaux
    blanc_alsace: blanc d'Alsace / blanc Alsace
    rose_provence: rosé de Provence / rosé Provence
    rouge_cdr: rouge Côtes du Rhône / rouge Côtes-du-Rhône
    blanc_chablis: blanc Chablis / Chablis
Eau | Eaux | - | 50 cl, 1 l, 1.5 l | packs
    gazeuse: gazeuse
    plate: minérale plate / plate
    citron: gazeuse citron / gazeuse au citron
Jus | Jus | bio, sans sucres ajoutés | 25 cl, 1 l, 1.5 l | packs
    orange: d'orange / orange
    pomme: de pomme / pomme
    raisin: de raisin / raisin
    ananas: d'ananas / ananas
    pamplemousse: de pamplemousse rose / pamplemousse rose
Lait | Laits | bio | 50 cl, 1 l | packs
    demi: demi-écrémé UHT / demi-écrémé
    entier: entier UHT / entier
    ecreme: écrémé UHT / écrémé
    avoine: d'avoine / avoine
Yaourt | Yaourts | bio, allégé | 125 g, 500 g | packs
    nature: nature / nature
    fraise: à la fraise / fraise
    vanille: à la vanille / vanille
    grec: à la grecque / grecque
Riz | Riz | bio | 500 g, 1 kg, 5 kg | -
    basmati: basmati
    thai: thaï parfumé / thaï
    complet: complet
    rond: rond dessert / rond
    arborio: arborio risotto / arborio
Pâtes | Pâtes | bio, complètes | 500 g, 1 kg, 3 kg | -
    spaghetti: spaghetti / spaghettis
    penne: penne rigate / penne
    fusilli: fusilli
    tagliatelle: tagliatelles / tagliatelle
    coquillettes: coquillettes / coquillette
Sel | Sels | - | 250 g, 500 g, 1 kg | -
    fin_guerande: fin de Guérande / fin Guérande
    gros: gros de mer / gros
    fleur: fleur de sel de Camargue / fleur de sel
Poivre | Poivres | bio | 50 g, 100 g, 500 g | -
    noir_moulu: noir moulu / noir moulu
    blanc_moulu: blanc moulu
    noir_grains: noir en grains / noir grains
    baies: cinq baies
Miel | Miels | bio | 250 g, 500 g, 1 kg | -
    acacia: d'acacia / acacia
    fleurs: toutes fleurs / toutes les fleurs
    lavande: de lavande / lavande
    chataignier: de châtaignier / châtaignier
Biscuits | Biscuits | bio, sans sucres ajoutés | 150 g, 200 g, 400 g | packs
    beurre: pur beurre / beurre
    chocolat: nappés chocolat / chocolat
    sable: sablés bretons / sablés
    avoine: à l'avoine / avoine
Œufs | Œufs | bio | 6 x, 12 x, 30 x | -
    plein_air: frais de plein air / plein air
    calibre_gros: frais gros calibre / gros calibre
    cage: frais de cage / cage
Bœuf | Bœufs | bio | 500 g, 1 kg | -
    hache: haché 5 % MG / haché 5%
    bourguignon: bourguignon
    steak: steak haché / steak
Cœurs | Cœurs | bio | 400 g, 800 g | packs
    palmier: de palmier / palmier
    artichaut: d'artichauts / artichaut
Fromage | Fromages | bio, allégé | 200 g, 500 g, 1 kg | -
    comte: Comté AOP 18 mois / Comté 18 mois
    emmental: Emmental râpé / Emmental rapé
    chevre: de chèvre bûche / chèvre bûche
    roquefort: Roquefort AOP / Roquefort
    mozzarella: mozzarella di bufala / mozzarella
Beurre | Beurres | bio | 125 g, 250 g, 500 g | -
    doux: doux
    demi_sel: demi-sel
    sale: salé aux cristaux de sel / salé
Crème | Crèmes | bio, allégée | 20 cl, 50 cl, 1 l | -
    fraiche_epaisse: fraîche épaisse / fraiche épaisse
    liquide: liquide entière / liquide
    dessert_vanille: dessert vanille / dessert à la vanille
Tomates | Tomates | bio | 400 g, 800 g, 2.5 kg | packs
    pelees: pelées entières / pelées
    concassees: concassées / concassée
    sechees: séchées à l'huile / séchées
    coulis: coulis nature / coulis
Lentilles | Lentilles | bio | 500 g, 1 kg, 5 kg | -
    vertes: vertes du Puy / vertes
    corail: corail
    blondes: blondes
Moutarde | Moutardes | bio | 200 g, 370 g, 1 kg | -
    dijon: de Dijon forte / Dijon
    ancienne: à l'ancienne / ancienne
    miel: au miel / miel
Vinaigre | Vinaigres | bio | 50 cl, 1 l | -
    vin_rouge: de vin rouge / vin rouge
    cidre: de cidre / cidre
    balsamique: balsamique de Modène / balsamique
    xeres: de Xérès / Xérès
Soupe | Soupes | bio | 50 cl, 1 l | packs
    potiron: de potiron / potiron
    legumes: de légumes verts / légumes verts
    poireaux: poireaux pommes de terre / poireau pomme de terre
    tomate: de tomates / tomate
Compote | Compotes | bio, sans sucres ajoutés | 100 g, 400 g, 1 kg | packs
    pomme: de pommes / pomme
    pomme_poire: pomme poire / pommes poires
    pomme_fraise: pomme fraise / pommes fraises
Céréales | Céréales | bio | 375 g, 500 g, 1 kg | -
    muesli: muesli aux fruits / muesli fruits
    flocons: flocons d'avoine / flocons avoine
    granola: granola chocolat / granola
    petales: pétales de maïs / pétales maïs
Savon | Savons | bio | 100 g, 300 ml, 1 l | -
    marseille: de Marseille / Marseille
    lavande: à la lavande / lavande
    liquide: liquide mains / liquide
Lessive | Lessives | écologique | 1 l, 3 l, 5 kg | -
    liquide: liquide / liquide
    poudre: en poudre / poudre
    capsules: en capsules / capsules
Papier | Papiers | recyclé | 6 x, 12 x, 24 x | -
    toilette: toilette double épaisseur / toilette
    essuie_tout: essuie-tout / essuie tout
    cuisson: cuisson
Pommes | Pommes | bio | 1 kg, 2 kg, 6 x | -
    golden: Golden / golden
    gala: Gala
    granny: Granny Smith / Granny
    pink: Pink Lady / Pink lady
Jambon | Jambons | bio, sans nitrite | 4 x, 6 x, 150 g | -
    blanc: blanc supérieur / blanc
    cru: cru de Bayonne / Bayonne
    fume: fumé / fume
Glace | Glaces | bio | 500 ml, 1 l | -
    vanille: vanille de Madagascar / vanille
    chocolat: chocolat noir / chocolat
    fraise: fraise / fraises
    pistache: pistache / pistaches
Sirop | Sirops | bio | 75 cl, 1 l | -
    grenadine: de grenadine / grenadine
    menthe: de menthe / menthe
    citron: de citron / citron
    orgeat: d'orgeat / orgeat
Chips | Chips | bio | 45 g, 150 g, 300 g | packs
    nature: nature / nature
    paprika: au paprika / paprika
    vinaigre: sel et vinaigre / vinaigre
Noix | Noix | bio | 125 g, 250 g, 1 kg | -
    cajou: de cajou / cajou
    grenoble: de Grenoble AOP / Grenoble
    pecan: de pécan / pécan
Amandes | Amandes | bio | 125 g, 250 g, 1 kg | -
    entieres: entières / entière
    effilees: effilées / effilée
    poudre: en poudre / poudre
Bière | Bières | bio, sans alcool | 25 cl, 33 cl, 75 cl | packs
    blonde: blonde / blonde
    ambree: ambrée / ambree
    blanche: blanche / blanche
    ipa: IPA / ipa
"""


def parse_families(table: str) -> list[tuple[str, str, dict[str, list[str]], list[str],
                                           list[tuple[str, str]], bool]]:  # fmt: skip
    families: list = []
    for line in table.strip().splitlines():
        if not line.startswith(" "):
            head, plural, variants, sizes, packs = (part.strip() for part in line.split("|"))
            families.append((
                head,
                plural,
                {},
                [] if variants == "-" else [v.strip() for v in variants.split(",")],
                [tuple(size.split()) for size in sizes.split(",")],
                packs == "packs",
            ))  # fmt: skip
        else:
            key, _, renderings = line.strip().partition(":")
            families[-1][2][key] = [r.strip() for r in renderings.split("/")]
    return families


FAMILIES = parse_families(FAMILY_TABLE)

#: Words a clerk leaves out of a variety without changing it
OPTIONAL = {"pur", "aop", "uht", "frais", "superieur", "entieres"}
BRANDS = [
    "Maison Dupont",
    "Bonne Terre",
    "Les Halles",
    "Saveurs d'Antan",
    "Le Moulin",
    "Clos Verdier",
    "Marque Repère",
    "Côteaux Fins",
]
#: Varieties people order that the catalog does not have, per family
UNSTOCKED = {
    "Confiture": ["de myrtilles", "de mirabelles", "de rhubarbe", "de cassis"],
    "Chocolat": ["au caramel", "noir 99 % cacao", "menthe"],
    "Café": ["moulu éthiopie", "soluble"],
    "Thé": ["blanc", "oolong"],
    "Miel": ["de thym", "de sapin"],
    "Jus": ["de mangue", "de tomate"],
    "Riz": ["noir", "sauvage"],
    "Huile": ["d'arachide", "de pépins de raisin"],
    "Yaourt": ["à la myrtille", "au citron"],
    "Glace": ["café", "noix de coco"],
    "Sirop": ["de fraise", "de pêche"],
    "Vin": ["rouge Bourgogne", "blanc Sauternes"],
    "Pommes": ["Reinette", "Fuji"],
    "Bière": ["brune", "rousse"],
}
UNRELATED = [
    "Pneu 205/55 R16",
    "Câble HDMI 2 m",
    "Stylo bille bleu",
    "Ramette papier A4",
    "Cartouche d'encre noire",
    "Ampoule LED E27",
    "Gants nitrile taille M",
    "Clé USB 32 Go",
    "Pile AA alcaline",
    "Tournevis cruciforme",
    "Plutonium rods",
    "Chaise de bureau",
    "Casque audio",
    "Tapis de souris",
    "Vis 4x40",
]


@dataclass(frozen=True)
class Item:
    """What a product is, as the generator knows it; names are rendered from this."""

    family: int
    variety: str
    variants: frozenset[str]
    size: tuple[str, str] | None
    pack: int | None
    brand: str | None

    @property
    def counted(self) -> bool:
        """A pack of several, or a count as its size (eggs by the dozen)."""
        return self.pack is not None or (self.size is not None and self.size[1] == "x")


def size_text(size: tuple[str, str]) -> str:
    value, unit = size
    if unit == "x":
        return f"x{value}"
    return f"{value.replace('.', ',')} {unit.upper() if unit == 'l' else unit}"


def render(item: Item, variety_text: str, *, with_size: bool = True, order: int = 0) -> str:
    head = FAMILIES[item.family][0]
    parts = [head, variety_text, *sorted(item.variants)]
    if item.brand:
        parts.append(item.brand)
    if item.size and with_size:
        size = size_text(item.size)
        parts.append(f"{item.pack} x {size}" if item.pack else size)
    return " ".join(parts) if order == 0 else " ".join(parts[1:] + parts[:1])


def build_items(rng: random.Random, target: int) -> list[Item]:
    space: list[Item] = []
    for f, (_, _, varieties, variants, sizes, packs) in enumerate(FAMILIES):
        variant_sets = [frozenset()] + [frozenset({v}) for v in variants]
        for variety in varieties:
            for vs in variant_sets:
                for size in sizes:
                    for pack in [None, 6] if packs else [None]:
                        for brand in [None, *BRANDS]:
                            space.append(Item(f, variety, vs, size, pack, brand))
    rng.shuffle(space)
    return space[:target]


def catalog_of(items: Sequence[Item], first_id: int = 1) -> list[ProductInfo]:
    products = []
    for n, item in enumerate(items):
        text = render(item, FAMILIES[item.family][2][item.variety][0])
        products.append(
            ProductInfo(first_id + n, f"P{first_id + n:07d}", text, "EA", Decimal(1), True)
        )
    return products


# ------------------------------------------------------------------ queries and their labels


@dataclass
class Query:
    text: str
    kind: str
    #: what the query states; None: left unsaid
    family: int | None
    variety: str | None
    variants: frozenset[str] | None
    size: tuple[str, str] | None
    pack: int | None | bool = False  # False: unsaid
    brand: str | None | bool = False
    expected: int | None = None  # product id
    not_grocery: bool = False


@dataclass
class Oracle:
    """Which product a query names, from the generator's attributes."""

    items: list[Item]
    ids: list[int]
    by_family: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for position, item in enumerate(self.items):
            self.by_family[item.family].append(position)

    def expected(self, q: Query) -> int | None:
        if q.not_grocery or q.family is None:
            return None
        fits = []
        for position in self.by_family[q.family]:
            item = self.items[position]
            if q.variety is not None and item.variety != q.variety:
                continue
            if q.variants is not None and not q.variants <= item.variants:
                continue
            if q.size is not None and item.size != q.size:
                continue
            if q.pack is not False and item.pack != q.pack:
                continue
            if q.brand is not False and item.brand != q.brand:
                continue
            fits.append(position)
        if q.pack in (False, None) and not (q.size and q.size[1] == "x"):
            # A name without a count means one item, not a pack or a box of twelve.
            fits = [p for p in fits if not self.items[p].counted]
        plainest = [
            p for p in fits if all(self._within(self.items[p], self.items[o]) for o in fits)
        ]
        return self.ids[plainest[0]] if len(plainest) == 1 else None

    @staticmethod
    def _within(item: Item, other: Item) -> bool:
        """Whether ``other`` is ``item`` plus more (a variant, a brand), or ``item`` itself."""
        return (
            other.variety == item.variety
            and other.size == item.size
            and other.pack == item.pack
            and item.variants <= other.variants
            and (item.brand is None or other.brand == item.brand)
        )


_UNITS_REWRITE = {
    "g": lambda v: [f"{v}g", f"{v} gr", f"{Decimal(v) / 1000:f}".replace(".", ",") + " kg"],
    "kg": lambda v: [
        f"{v}kg",
        f"{v} kilo" + ("s" if Decimal(v) > 1 else ""),
        f"{int(Decimal(v) * 1000)} g",
    ],
    "l": lambda v: [
        f"{v}l".replace(".", ","),
        f"{int(Decimal(v) * 100)} cl",
        f"{v.split('.')[0]}l{v.split('.')[1]}" if "." in v else f"{int(Decimal(v) * 1000)} ml",
    ],
    "cl": lambda v: [
        f"{v}cl",
        f"{Decimal(v) / 100:f}".replace(".", ",") + " l",
        f"{int(v) * 10} ml",
    ],
    "ml": lambda v: [f"{v}ml", f"{Decimal(v) / 1000:f}".replace(".", ",") + " l"],
    "x": lambda v: [f"{v}x", f"lot de {v}", f"boîte de {v}"],
}
_ACCENTS = str.maketrans("éèêàâîïôûùçÉœŒ", "eeeaaiiouucEoO")


def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letters = "aeiourstnl"
    if kind == 0:
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if kind == 1:
        return word[:i] + rng.choice(letters) + word[i:]
    if kind == 2:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def abbreviate(rng: random.Random, word: str) -> str:
    if rng.random() < 0.5:
        return word[: rng.choice((4, 5))] + "."
    return word[0] + "".join(c for c in word[1:] if c.lower() not in "aeiouyéèêàâîôû")


def perturb(rng: random.Random, item: Item, kind: str) -> Query:
    head, plural, varieties, _, _, _ = FAMILIES[item.family]
    renderings = varieties[item.variety]
    variety_text = rng.choice(renderings)
    q = Query(
        "",
        kind,
        item.family,
        item.variety,
        frozenset(item.variants),
        item.size,
        item.pack,
        item.brand,
    )
    words_head = head
    size = size_text(item.size) if item.size else ""
    if item.size and kind == "units":
        value, unit = item.size
        size = rng.choice(_UNITS_REWRITE[unit](value))
    if kind == "dropped":
        choice = rng.choice(["brand", "variant", "size", "optional", "variety_word"])
        if choice == "brand" and item.brand:
            q.brand = False
        elif choice == "variant" and item.variants:
            q.variants = None
        elif choice == "size" and item.size:
            q.size, q.pack, size = None, False, ""
        elif choice == "optional":
            words = [w for w in variety_text.split() if name_key(w) not in OPTIONAL]
            variety_text = " ".join(words)
        else:
            q.variety = None
            variety_text = ""
    pack = f"{item.pack} x " if item.pack and size else ""
    parts = [
        words_head,
        variety_text,
        *sorted(item.variants if q.variants is not None else ()),
        *([item.brand] if item.brand and q.brand is not False else []),
        pack + size,
    ]
    parts = [p for p in parts if p]
    if kind == "plural":
        parts[0] = plural if rng.random() < 0.7 else head
        parts[1:2] = (
            [
                " ".join(
                    w + "s" if len(w) > 3 and not w.endswith(("s", "x")) else w
                    for w in parts[1].split()
                )
            ]
            if len(parts) > 1
            else []
        )
    if kind == "order":
        rng.shuffle(parts)
    text = " ".join(parts)
    if kind == "case":
        text = rng.choice(
            [
                text.upper(),
                text.lower(),
                text.translate(_ACCENTS),
                "  " + text.replace(" ", "  ") + " .",
            ]
        )
    if kind == "ligature":
        text = (
            text.replace("œ", "oe").replace("Œ", "Oe")
            if "œ" in text.lower()
            else text.replace("oe", "œ")
        )
    if kind in ("typo", "abbreviation"):
        words = text.split()
        long = [
            i for i, w in enumerate(words) if len(w) >= (6 if kind == "typo" else 6) and w.isalpha()
        ]
        if long:
            i = rng.choice(long)
            words[i] = typo(rng, words[i]) if kind == "typo" else abbreviate(rng, words[i])
        text = " ".join(words)
    q.text = text
    return q


def must_not_match(rng: random.Random, item: Item, kind: str) -> Query:
    head = FAMILIES[item.family][0]
    q = perturb(rng, item, "exact")
    q.kind = kind
    if kind == "other_variety" and head in UNSTOCKED:
        variety = rng.choice(UNSTOCKED[head])
        q.variety = "unstocked:" + variety
        q.text = " ".join(
            p for p in [head, variety, size_text(item.size) if item.size else ""] if p
        )
        q.variants, q.brand, q.pack = None, False, False
    elif kind == "other_size" and item.size:
        value, unit = item.size
        other = str(int(Decimal(value) * 3)) if unit != "x" else str(int(value) + 4)
        q.size = (other, unit)
        q.text = q.text.replace(size_text(item.size), size_text((other, unit)))
    elif kind == "other_variant":
        extra = "bio" if "bio" not in item.variants else "allégé"
        q.variants = frozenset(item.variants | {extra})
        q.text = q.text.replace(FAMILIES[item.family][0], FAMILIES[item.family][0] + " " + extra, 1)
    else:
        q.text = rng.choice(UNRELATED)
        q.kind, q.not_grocery = "unrelated", True
    return q


QUERY_KINDS = [
    "exact",
    "case",
    "units",
    "plural",
    "order",
    "dropped",
    "abbreviation",
    "typo",
    "ligature",
]
NEGATIVE_KINDS = ["other_variety", "other_size", "other_variant", "unrelated"]


def build_queries(rng: random.Random, items: list[Item], count: int, negatives: int) -> list[Query]:
    queries = []
    ligature_items = [it for it in items if "œ" in FAMILIES[it.family][0].lower()]
    for n in range(count):
        kind = QUERY_KINDS[n % len(QUERY_KINDS)]
        item = rng.choice(ligature_items if kind == "ligature" else items)
        queries.append(perturb(rng, item, kind))
    for n in range(negatives):
        queries.append(
            must_not_match(rng, rng.choice(items), NEGATIVE_KINDS[n % len(NEGATIVE_KINDS)])
        )
    return queries


# ------------------------------------------------------------------ fillers for a million

SYLLABLES = [c + v for c in "bdfklmnprstvz" for v in "aeiou"]


def made_up(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def fillers(rng: random.Random, count: int, first_id: int) -> tuple[list[ProductInfo], list[Item]]:
    """Half made-up families, half the real families under made-up brands."""
    products: list[ProductInfo] = []
    items: list[Item] = []
    brands = [made_up(rng, 3) for _ in range(20_000)]
    heads = [made_up(rng, 3) for _ in range(30_000)]
    modifiers = [
        "bio",
        "noir",
        "blanc",
        "fraise",
        "vanille",
        "nature",
        "extra",
        "fin",
        "gros",
        "rouge",
        "citron",
        "menthe",
        "au lait",
        "sans sucre",
        "allégé",
        "épicé",
    ]
    sizes = [
        ("100", "g"),
        ("250", "g"),
        ("500", "g"),
        ("1", "kg"),
        ("75", "cl"),
        ("1", "l"),
        ("1.5", "l"),
        ("33", "cl"),
        ("200", "g"),
        ("370", "g"),
    ]
    for n in range(count):
        pid = first_id + n
        if n % 2:
            name = " ".join(
                [
                    rng.choice(heads),
                    rng.choice(modifiers),
                    made_up(rng, 2),
                    size_text(rng.choice(sizes)),
                ]
            )
            products.append(ProductInfo(pid, f"F{pid:07d}", name, "EA", Decimal(1), True))
            continue
        f = rng.randrange(len(FAMILIES))
        _, _, varieties, variants, fsizes, packs = FAMILIES[f]
        variety = rng.choice(list(varieties))
        item = Item(
            f,
            variety,
            frozenset(rng.sample(variants, k=min(len(variants), rng.randrange(2)))),
            rng.choice(fsizes),
            6 if packs and rng.random() < 0.2 else None,
            rng.choice(brands),
        )
        items.append(item)
        products.append(
            ProductInfo(
                pid, f"F{pid:07d}", render(item, varieties[variety][0]), "EA", Decimal(1), True
            )
        )
    return products, items


# ------------------------------------------------------------------ the two matchers


class MemoryCatalog:
    """The resolver's catalog port over a product list: exact name keys in a dict."""

    def __init__(self, products: list[ProductInfo], index: object) -> None:
        self.exact: dict[str, list[ProductInfo]] = defaultdict(list)
        for p in products:
            self.exact[name_key(p.name)].append(p)
        self.index = index

    def by_gtin14(self, gtin14: str) -> None:
        return None

    def by_sku(self, sku: str) -> None:
        return None

    def by_customer_ref(self, ref: str) -> None:
        return None

    def by_name_key(self, key: str) -> list[ProductInfo]:
        return self.exact.get(key, [])

    def name_candidates(self) -> object:
        return self.index


class Today:
    """The name step as it was before gateway.rules.names (commit c406a95): the exact name
    key, else rapidfuzz WRatio against every name, accepted at 88 when 6 points ahead."""

    def __init__(self, products: list[ProductInfo], catalog: MemoryCatalog) -> None:
        self.products = products
        self.keys = [name_key(p.name) for p in products]
        self.catalog = catalog

    def __call__(self, text: str) -> ProductInfo | None:
        exact = self.catalog.by_name_key(name_key(text))
        if len(exact) == 1:
            return exact[0]
        if exact:
            return None
        hits = process.extract(name_key(text), self.keys, scorer=fuzz.WRatio, limit=3)
        if hits:
            score, runner_up = hits[0][1], hits[1][1] if len(hits) > 1 else 0.0
            if score >= 88.0 and score - runner_up >= 6.0:
                return self.products[hits[0][2]]
        return None


def ours(catalog: MemoryCatalog) -> Callable[[str], ProductInfo | None]:
    matcher = NameMatcher(catalog)  # type: ignore[arg-type]

    def resolve(text: str) -> ProductInfo | None:
        return resolve_line(OrderLine(line_no=1, name=text), catalog, matcher).product  # type: ignore[arg-type]

    return resolve


# ------------------------------------------------------------------ measuring


@dataclass
class Score:
    accepted: int = 0
    correct: int = 0
    mappable: int = 0
    wrong_by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    missed_by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    times: list[list[float]] = field(default_factory=list)

    def add(self, q: Query, found: ProductInfo | None) -> None:
        self.mappable += q.expected is not None
        if found is None:
            if q.expected is not None:
                self.missed_by_kind[q.kind] += 1
            return
        self.accepted += 1
        if found.id == q.expected:
            self.correct += 1
        else:
            self.wrong_by_kind[q.kind] += 1

    @property
    def precision(self) -> float:
        return self.correct / self.accepted if self.accepted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.mappable if self.mappable else 0.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def measure(
    matchers: dict[str, Callable[[str], ProductInfo | None]],
    queries: dict[str, list[Query]],
    repeat: int,
) -> dict[str, Score]:
    """Every matcher over its queries, ``repeat`` times, interleaved query by query.

    Before the first repetition each matcher resolves its first 20 queries untimed:
    a long-running gateway has its index in the processor's caches, a fresh one not.
    """
    scores = {name: Score() for name in matchers}
    for name, match in matchers.items():
        for q in queries[name][:20]:
            match(q.text)
    for rep in range(repeat):
        times: dict[str, list[float]] = {name: [] for name in matchers}
        longest = max(len(q) for q in queries.values())
        for i in range(longest):
            for name, match in matchers.items():
                if i >= len(queries[name]):
                    continue
                q = queries[name][i]
                start = time.perf_counter()
                found = match(q.text)
                times[name].append(time.perf_counter() - start)
                if rep == 0:
                    scores[name].add(q, found)
        for name in matchers:
            scores[name].times.append(times[name])
    return scores


def report(title: str, scores: dict[str, Score], queries: dict[str, list[Query]]) -> None:
    print(f"\n## {title}")
    print(
        f"{'matcher':<28} {'queries':>7} {'precision':>10} {'recall':>7} "
        f"{'p50 ms (min/med)':>18} {'p95 ms (min/med)':>18}"
    )
    for name, s in scores.items():
        p50 = [percentile(t, 0.5) * 1000 for t in s.times]
        p95 = [percentile(t, 0.95) * 1000 for t in s.times]
        print(
            f"{name:<28} {len(queries[name]):>7} {s.precision:>10.2%} {s.recall:>7.2%} "
            f"{min(p50):>8.3f}/{statistics.median(p50):<8.3f} "
            f"{min(p95):>8.3f}/{statistics.median(p95):<8.3f}"
        )
        wrong = ", ".join(f"{k} {v}" for k, v in sorted(s.wrong_by_kind.items()))
        missed = ", ".join(f"{k} {v}" for k, v in sorted(s.missed_by_kind.items()))
        print(f"    accepted {s.accepted}, correct {s.correct}, wrong by kind: {wrong or '-'}")
        print(f"    missed by kind: {missed or '-'}")


def labelled(queries: list[Query], oracle: Oracle) -> list[Query]:
    return [replace(q, expected=oracle.expected(q)) for q in queries]


def kinds(queries: Iterable[Query]) -> str:
    count: dict[str, int] = defaultdict(int)
    for q in queries:
        count[q.kind] += 1
    return ", ".join(f"{k} {v}" for k, v in sorted(count.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=5_200)
    parser.add_argument("--queries", type=int, default=1_500, help="queries naming a product")
    parser.add_argument("--negatives", type=int, default=500, help="queries that must not match")
    parser.add_argument("--large", type=int, default=1_000_000, help="0: skip the large catalog")
    parser.add_argument("--today-sample", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--show-wrong", type=int, default=0, help="print this many wrong accepts")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    items = build_items(rng, args.products)
    products = catalog_of(items)
    queries = build_queries(rng, items, args.queries, args.negatives)
    oracle = Oracle(items, [p.id for p in products])
    queries = labelled(queries, oracle)
    print(
        f"catalog: {len(products)} products in {len(FAMILIES)} families; "
        f"queries: {len(queries)} ({sum(q.expected is not None for q in queries)} name a product)"
    )
    print(f"query kinds: {kinds(queries)}")

    started = time.perf_counter()
    index = NameIndex(products)
    built = time.perf_counter() - started
    catalog = MemoryCatalog(products, index)
    today = Today(products, catalog)
    matchers = {"today (WRatio scan)": today, "gateway.rules.names": ours(catalog)}
    scores = measure(matchers, {name: queries for name in matchers}, args.repeat)
    report(
        f"{len(products):,} products (index built in {built:.2f} s)",
        scores,
        {n: queries for n in matchers},
    )
    if args.show_wrong:
        show(ours(catalog), queries, products, args.show_wrong)

    if args.large:
        extra, extra_items = fillers(rng, args.large - len(products), len(products) + 1)
        every = products + extra
        oracle = Oracle(
            items + extra_items,
            [p.id for p in products] + [p.id for p, it in _paired(extra, extra_items)],
        )
        big_queries = labelled(queries, oracle)
        started = time.perf_counter()
        big_index = NameIndex(every)
        built = time.perf_counter() - started
        big_catalog = MemoryCatalog(every, big_index)
        sample = rng.sample(big_queries, min(args.today_sample, len(big_queries)))
        matchers = {
            "today (WRatio scan)": Today(every, big_catalog),
            "gateway.rules.names": ours(big_catalog),
        }
        per = {"today (WRatio scan)": sample, "gateway.rules.names": big_queries}
        scores = measure(matchers, per, args.repeat)
        report(
            f"{len(every):,} products (index built in {built:.1f} s; today's matcher on "
            f"{len(sample)} sampled queries)",
            scores,
            per,
        )
        if args.show_wrong:
            show(ours(big_catalog), big_queries, every, args.show_wrong)


def _paired(extra: list[ProductInfo], extra_items: list[Item]) -> list[tuple[ProductInfo, Item]]:
    """The fillers that are real families under a made-up brand, with their items."""
    real = [p for n, p in enumerate(extra) if n % 2 == 0]
    return list(zip(real, extra_items, strict=True))


def show(
    match: Callable[[str], ProductInfo | None],
    queries: list[Query],
    products: list[ProductInfo],
    limit: int,
    *,
    missed: bool = False,
) -> None:
    """Print up to ``limit`` wrong accepts (or, ``missed``, products not found)."""
    by_id = {p.id: p for p in products}
    shown = 0
    for q in queries:
        found = match(q.text)
        expected = by_id[q.expected].name if q.expected else "none"
        if missed and q.expected is not None and found is None:
            print(f"  MISSED [{q.kind}] {q.text!r} (expected {expected!r})")
        elif not missed and found is not None and found.id != q.expected:
            print(f"  WRONG [{q.kind}] {q.text!r} → {found.name!r} (expected {expected!r})")
        else:
            continue
        shown += 1
        if shown >= limit:
            break


if __name__ == "__main__":
    main()
