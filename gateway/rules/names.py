"""Product names as people type them: what a name says, an index of the catalog's names,
and which product a typed name means. Plain data in, plain data out.

A name is read into *terms* (:func:`name_facts`):

* **words**, compared without case, accents, spacing and punctuation; ligatures spelled
  out (``œ`` → ``oe``); plurals made singular (``Spaghettis`` → ``spaghetti``); common
  abbreviations spelled out (``choc.`` → ``chocolat``); small words (``de``, ``au``…) and
  packaging words (``pot``, ``bouteille``…) left out;
* **sizes**, one unit per dimension: ``100 g`` = ``100g`` = ``0,1 kg``; ``1,5 L`` = ``1l5``
  = ``150 cl``; ``1 kilo`` = ``1 kg`` = ``1000 g``; percentages (``70 %``) and pack counts
  (``6 x 1 L``, ``lot de 6``) are facts too.

A product *fits* a typed name when it holds every term of the name (containment:
``Poivre moulu`` fits ``Poivre noir moulu 50 g``). A size or a word the product does not
hold rules it out, so 250 g is never 500 g and ``bio`` is never ignored. Then:

1. a name without a count means one item: a pack (``6 x 1,5 L``) fits only a name that
   says so;
2. the *plainest* fit is meant: the one product that every other fit holds, plus more
   (a brand, a variant, a word). ``Chocolat noir 100 g`` is not ``… noir bio 100 g``;
   ``Spaghettis`` is the only ``Spaghetti 500 g``; ``Poivre moulu`` the only
   ``Poivre noir moulu 50 g``;
3. else the fits differ from one another → ambiguous, naming the closest
   (``Chocolat 100 g``: dark or milk?);
4. none fits: the words the catalog does not know are read again as a number written
   without its unit (``250`` for ``250 g``, ``70`` for ``70 %``), an abbreviation (a
   prefix: ``moul`` → ``moulu``; the consonants: ``grnd`` → ``ground``) or a typo (one
   letter off, in words of five letters or more; two letters swapped in words of four),
   and 1–3 are tried once more, at a lower confidence;
5. still none → unknown, with the nearest products above :data:`SUGGESTION_FLOOR` only.

Candidates are *blocked*, never scanned: each term has a sorted array of the products
holding it, and a name's candidates are the intersection of its terms' arrays, smallest
first. A line costs the same on 5,000 products as on a million (``bench/bench_names.py``).

The interface, for the resolver (:mod:`gateway.rules.resolve`) and anything else that
matches names (an index is built once per catalog version, see
:mod:`gateway.catalog.lookup`):

>>> dark = ProductInfo(1, "CHOC-N", "Chocolat noir 70% cacao 100g", "EA", Decimal(1), True)
>>> milk = ProductInfo(2, "CHOC-L", "Chocolat au lait 100 g", "EA", Decimal(1), True)
>>> pepper = ProductInfo(3, "POIV-N", "Poivre noir moulu 50 g", "EA", Decimal(1), True)
>>> index = NameIndex([dark, milk, pepper])
>>> index.match("Chocolat noir 70 % 100 g").product.sku
'CHOC-N'
>>> [p.sku for p in index.match("Chocolat 100 g").candidates]
['CHOC-L', 'CHOC-N']
>>> index.match("poivre moulu").product.sku
'POIV-N'
>>> index.match("Chocolat noir 250 g").product is None
True
>>> name_facts("Eau gazeuse 6 x 1,5 L").terms
('eau', 'gazeuse', '#ml:1500', '#x:6')
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from gateway.rules.products import ProductInfo

#: Nearest products are suggested only when their names are at least this similar (0–100)
SUGGESTION_FLOOR = 60.0
#: At most this many products are named when a name fits several
AMBIGUOUS_LISTED = 5
#: An abbreviation that is the start of more catalog words than this says too little
_MAX_PREFIX_READINGS = 40

# ------------------------------------------------------------------ reading a name

_SPELLED_OUT = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "×": "x", "’": " ", "'": " "}
)
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_PERCENT = re.compile(_NUMBER + r"\s*(?:%|pour\s?cent|percent)")
#: ``1l5`` is 1.5 l, as bottles are labelled
_LITRE_DIGITS = re.compile(r"\b(\d+)l(\d{1,2})\b")
#: ``6 x 1 l``, ``6x33cl``: a count before a size
_PACK_BEFORE = re.compile(r"\b(\d+)\s*x\s*(?=\d)")
#: ``1 l x 6``, ``x6``
_PACK_AFTER = re.compile(r"(?:^|(?<=\s))x\s*(\d+)\b")
#: ``6x`` at the end of a name
_PACK_TRAILING = re.compile(r"\b(\d+)\s*x\b(?!\s*\d)")
_PACK_WORDS = re.compile(
    r"\b(?:lot|pack|paquet|carton|boite|colis|barquette|sachet|filet|coffret|caisse)s?"
    r"\s+(?:de\s+)?(\d+)\b"
)
_SIZE = re.compile(
    _NUMBER
    + r"\s*(kgs?|kilos?|kilogrammes?|grs?|grammes?|g|mg|litres?|liters?|ltr|lt|l|cl|ml|dl)\b"
)
#: unit as written → (dimension, factor to the dimension's unit)
_UNITS: dict[str, tuple[str, Decimal]] = {
    **dict.fromkeys("kg kgs kilo kilos kilogramme kilogrammes".split(), ("g", Decimal(1000))),
    **dict.fromkeys("g gr grs gramme grammes".split(), ("g", Decimal(1))),
    "mg": ("g", Decimal("0.001")),
    **dict.fromkeys("l lt ltr litre litres liter liters".split(), ("ml", Decimal(1000))),
    "cl": ("ml", Decimal(10)),
    "dl": ("ml", Decimal(100)),
    "ml": ("ml", Decimal(1)),
}
_WORD = re.compile(r"([^\W_]+)(\.?)")
_HAS_DIGIT = re.compile(r"\d").search

#: Words that tell nothing apart: articles and prepositions (French and English). Not
#: "the": accents removed, it is "thé".
_SMALL_WORDS = frozenset(
    "a au aux d de des du en et l la le les un une pour avec sur par of and with in for to".split()
)
#: How a product is wrapped or counted, which people add or leave out at will
_PACKAGING = frozenset(
    "pot pots bouteille btl paquet pqt sachet boite bte unite piece pce pcs pc lot pack "
    "carton barquette flacon bocal brique canette x".split()
)
#: Abbreviations a clerk writes, spelled out (after plurals are made singular)
_ABBREVIATIONS = {
    "choc": "chocolat", "conf": "confiture", "pdr": "poudre", "ss": "sans",
    "nat": "nature", "ecr": "ecreme", "surg": "surgele", "jamb": "jambon",
    "fromag": "fromage", "fro": "fromage", "bisc": "biscuit", "pt": "petit",
    "gd": "grand", "vx": "vieux", "moy": "moyen", "blc": "blanc", "rge": "rouge",
    "ev": "vierge", "org": "organic",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class NameFacts:
    """What a name says: its words (in order, each once) and its sizes as ``#dim:value``.

    ``shortened`` holds the words written with a full stop after them (``moul.``): the
    start of a longer word, even when the catalog knows them as words of their own.
    """

    words: tuple[str, ...]
    sizes: tuple[str, ...]
    shortened: frozenset[str] = frozenset()

    @property
    def terms(self) -> tuple[str, ...]:
        return self.words + self.sizes


class _Unaccented(dict[int, str]):
    """``str.translate`` table: each character without its accents, worked out once."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        plain = self[code] = "".join(c for c in decomposed if not unicodedata.combining(c))
        return plain


_UNACCENTED = _Unaccented()


def _plain(text: str) -> str:
    text = text.translate(_SPELLED_OUT).lower()
    return text if text.isascii() else text.translate(_UNACCENTED)


#: raw word → the word it counts as ("" when left out); names repeat the same few words
_WORD_FORMS: dict[str, str] = {}
_WORD_FORMS_LIMIT = 500_000
#: a size as written (``370 g``) → its term (``#g:370``)
_SIZE_TERMS: dict[str, str] = {}


def _word_form(raw: str) -> str:
    form = _WORD_FORMS.get(raw)
    if form is None:
        if raw in _SMALL_WORDS or raw in _PACKAGING or (len(raw) == 1 and not raw.isdigit()):
            form = ""
        else:
            form = singular(raw)
            form = _ABBREVIATIONS.get(form, form)
        if len(_WORD_FORMS) < _WORD_FORMS_LIMIT:
            _WORD_FORMS[raw] = form
    return form


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _size(dimension: str, value: Decimal) -> str:
    return f"#{dimension}:{value.normalize():f}"


def singular(word: str) -> str:
    """A word without its plural mark (French and English), the same for both forms.

    >>> singular("spaghettis"), singular("gateaux"), singular("choux"), singular("noix")
    ('spaghetti', 'gateau', 'chou', 'noix')
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith(("eaux", "eux", "oux", "aux")):
        return word[:-1]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def name_facts(text: str) -> NameFacts:
    """The words and sizes of a product name (see the module rules).

    >>> name_facts("Confiture de fraises 370 g").terms
    ('confiture', 'fraise', '#g:370')
    >>> name_facts("1 kilo").sizes == name_facts("1000 g").sizes == name_facts("1kg").sizes
    True
    >>> name_facts("Huile 1l5").sizes == name_facts("huile 150 cl").sizes
    True
    >>> name_facts("Choc. noir 70%").terms
    ('chocolat', 'noir', '#%:70')
    """
    plain = _plain(text)
    sizes: list[str] = []

    def percent(m: re.Match[str]) -> str:
        if (value := _number(m.group(1))) is not None:
            sizes.append(_size("%", value))
        return " "

    def litre_digits(m: re.Match[str]) -> str:
        sizes.append(_size("ml", Decimal(f"{m.group(1)}.{m.group(2)}") * 1000))
        return " "

    def count(m: re.Match[str]) -> str:
        sizes.append(_size("x", Decimal(m.group(1))))
        return " "

    def size(m: re.Match[str]) -> str:
        written = m.group(0)
        term = _SIZE_TERMS.get(written)
        if term is None:
            value = _number(m.group(1))
            dimension, factor = _UNITS[m.group(2)]
            term = "" if value is None else _size(dimension, value * factor)
            if len(_SIZE_TERMS) < _WORD_FORMS_LIMIT:
                _SIZE_TERMS[written] = term
        if term:
            sizes.append(term)
        return " "

    if _HAS_DIGIT(plain):
        if "%" in plain or "pour" in plain or "percent" in plain:
            plain = _PERCENT.sub(percent, plain)
        plain = _LITRE_DIGITS.sub(litre_digits, plain)
        if "x" in plain:
            plain = _PACK_BEFORE.sub(count, plain)
            plain = _PACK_AFTER.sub(count, plain)
            plain = _PACK_TRAILING.sub(count, plain)
        plain = _SIZE.sub(size, plain)
        plain = _PACK_WORDS.sub(count, plain)
    words: list[str] = []
    shortened: set[str] = set()
    for raw, stop in _WORD.findall(plain):
        word = _word_form(raw)
        if not word:
            continue
        if stop and word == raw and len(raw) >= 3 and raw.isalpha():
            shortened.add(word)
        if word not in words:
            words.append(word)
    return NameFacts(tuple(words), tuple(dict.fromkeys(sorted(sizes))), frozenset(shortened))


# ------------------------------------------------------------------ the decision


class MatchKind(StrEnum):
    """How a typed name found its product (or did not)."""

    EXACT = "exact"  # the product holds the name's terms and nothing more
    CONTAINED = "contained"  # the product holds them and more; every other fit holds it
    AMBIGUOUS = "ambiguous"  # several products hold them
    UNKNOWN = "unknown"  # none


#: Confidence of an accepted match, by kind and whether words were read again (step 4)
_CONFIDENCE = {
    (MatchKind.EXACT, False): 0.98,
    (MatchKind.CONTAINED, False): 0.9,
    (MatchKind.EXACT, True): 0.85,
    (MatchKind.CONTAINED, True): 0.8,
}


@dataclass(slots=True)
class NameMatch:
    """The answer for one typed name.

    ``product`` is set when one product is meant; ``candidates`` lists the products
    that fit equally when several do; ``suggestions`` the nearest ones when none fits.
    """

    kind: MatchKind
    product: ProductInfo | None = None
    confidence: float | None = None
    candidates: list[ProductInfo] = field(default_factory=list)
    suggestions: list[ProductInfo] = field(default_factory=list)
    #: Words of the name read as an abbreviation or a typo (step 4)
    reread: bool = False


def _counts(terms: Iterable[str]) -> bool:
    """Whether the terms hold a pack count (``#x:6``)."""
    return any(t.startswith("#x:") for t in terms)


_VOWELS = frozenset("aeiouy")
_NO_VOWELS = str.maketrans("", "", "aeiouy")


def _holds(posting: np.ndarray, products: np.ndarray) -> np.ndarray:
    """For each of ``products``, whether it is in the sorted ``posting``."""
    at = np.searchsorted(posting, products)
    inside = at < posting.size
    found = np.zeros(products.size, dtype=bool)
    found[inside] = posting[at[inside]] == products[inside]
    return found


class NameIndex:
    """The catalog's names, indexed for :meth:`match` and :meth:`nearest`.

    Built once per catalog version from the products a name may point to; read-only
    afterwards, so threads may share it (the typo table is built on first need).
    """

    def __init__(self, products: Sequence[ProductInfo]) -> None:
        self.products = list(products)
        term_ids: dict[str, int] = {}
        flat: list[int] = []  # every product's term ids, one product after the other
        lengths = np.zeros(len(self.products), dtype=np.int32)
        counted = np.zeros(len(self.products), dtype=bool)
        for i, product in enumerate(self.products):
            facts = name_facts(product.name)
            terms = facts.terms
            lengths[i] = len(terms)
            counted[i] = _counts(facts.sizes)
            for term in terms:
                tid = term_ids.get(term)
                if tid is None:
                    tid = term_ids[term] = len(term_ids)
                flat.append(tid)
        self._term_ids = term_ids
        self._vocabulary = list(term_ids)  # term id → term
        self._flat = np.array(flat, dtype=np.int32)
        self._offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        # The products holding each term, ascending: a stable sort of the flat term ids
        # keeps each term's products in catalog order.
        owners = np.repeat(np.arange(len(self.products), dtype=np.int32), lengths)
        order = np.argsort(self._flat, kind="stable")
        ends = np.cumsum(np.bincount(self._flat, minlength=len(term_ids)))
        self._postings: list[np.ndarray] = np.split(owners[order], ends[:-1]) if term_ids else []
        self._counts = np.minimum(lengths, 255).astype(np.uint8)
        self._counted = counted
        self._words = sorted(t for t in term_ids if not t.startswith("#"))
        self._typos = self._typo_table(self._words)
        self._consonants = self._consonant_table(self._words)

    def __len__(self) -> int:
        return len(self.products)

    # --- public --------------------------------------------------------------------
    def match(self, text: str) -> NameMatch:
        """Which product ``text`` names (see the module rules)."""
        facts = name_facts(text)
        if not facts.words:  # a size alone names no product
            return NameMatch(MatchKind.UNKNOWN)
        terms = facts.terms
        if all(t in self._term_ids for t in terms):
            found = self._decide(self._fits([[t] for t in terms]), terms, _counts(terms), False)
            if found is not None:
                return found
        readings = [self._readings(t, t in facts.shortened) for t in terms]
        if all(readings) and any(r != [t] for r, t in zip(readings, terms, strict=True)):
            says_count = _counts(t for r in readings for t in r)
            found = self._decide(self._fits(readings), terms, says_count, True)
            if found is not None:
                return found
        return NameMatch(MatchKind.UNKNOWN, suggestions=self._nearest(facts, readings, 3))

    def nearest(self, text: str, limit: int = 3) -> list[ProductInfo]:
        """Products whose names are near ``text``, best first, none below the floor."""
        facts = name_facts(text)
        if not facts.words:
            return []
        readings = [self._readings(t, t in facts.shortened) for t in facts.terms]
        return self._nearest(facts, readings, limit)

    # --- steps ---------------------------------------------------------------------
    def _size_of(self, readings: list[str]) -> int:
        return sum(self._postings[self._term_ids[t]].size for t in readings)

    def _union(self, readings: list[str]) -> np.ndarray:
        """The products holding one of ``readings`` (sorted); for the smallest group only."""
        arrays = [self._postings[self._term_ids[t]] for t in readings]
        return arrays[0] if len(arrays) == 1 else np.unique(np.concatenate(arrays))

    def _held(self, readings: list[str], products: np.ndarray) -> np.ndarray:
        """For each of ``products``, whether it holds one of ``readings``."""
        held = _holds(self._postings[self._term_ids[readings[0]]], products)
        for term in readings[1:]:
            held |= _holds(self._postings[self._term_ids[term]], products)
        return held

    def _fits(self, groups: list[list[str]]) -> np.ndarray:
        """The products holding one term of every group, the rarest group first: the
        candidates are looked up in the big arrays, never the other way round."""
        ordered = sorted(groups, key=self._size_of)
        found = self._union(ordered[0])
        for group in ordered[1:]:
            if not found.size:
                break
            found = found[self._held(group, found)]
        return found

    def _decide(
        self, found: np.ndarray, terms: tuple[str, ...], says_count: bool, reread: bool
    ) -> NameMatch | None:
        if not found.size:
            return None
        if not says_count:
            # A name without a count means one item, never the pack of six.
            single = found[~self._counted[found]]
            if not single.size:
                kind = MatchKind.AMBIGUOUS if found.size > 1 else MatchKind.UNKNOWN
                listed = self._closest(found, AMBIGUOUS_LISTED)
                if kind is MatchKind.AMBIGUOUS:
                    return NameMatch(kind, candidates=listed, reread=reread)
                return NameMatch(kind, suggestions=listed, reread=reread)
            found = single
        least = found[self._counts[found] == self._counts[found].min()]
        if least.size == 1:
            position = int(least[0])
            others = found[found != position]
            extra = [t for t in self._terms(position) if t not in terms]
            if all(_holds(self._postings[self._term_ids[t]], others).all() for t in extra):
                # Every other fit is this product and more (a brand, a variant…).
                kind = MatchKind.EXACT if not extra else MatchKind.CONTAINED
                return self._accepted(position, kind, reread)
        return NameMatch(
            MatchKind.AMBIGUOUS, candidates=self._closest(found, AMBIGUOUS_LISTED), reread=reread
        )

    def _terms(self, position: int) -> list[str]:
        ids = self._flat[self._offsets[position] : self._offsets[position + 1]]
        return [self._vocabulary[t] for t in ids.tolist()]

    def _accepted(self, position: int, kind: MatchKind, reread: bool) -> NameMatch:
        return NameMatch(
            kind,
            product=self.products[position],
            confidence=_CONFIDENCE[(kind, reread)],
            reread=reread,
        )

    def _closest(self, found: np.ndarray, limit: int) -> list[ProductInfo]:
        """The fits with the fewest terms beyond the name's, then by name."""
        counts = self._counts[found]
        if found.size > 4 * limit:
            keep = np.argpartition(counts, 4 * limit)[: 4 * limit]
            found, counts = found[keep], counts[keep]
        ranked = sorted(
            (int(counts[i]), self.products[int(p)].name, int(p)) for i, p in enumerate(found)
        )
        return [self.products[p] for _, _, p in ranked[:limit]]

    def _readings(self, term: str, shortened: bool = False) -> list[str]:
        """The catalog terms ``term`` may stand for (step 4 of the module rules)."""
        if term.isdigit():  # a number without its unit: 250 for 250 g, 70 for 70 %, 12 for x12
            n = int(term)
            forms = (term, f"#g:{n}", f"#ml:{n}", f"#%:{n}", f"#x:{n}")
            return [t for t in forms if t in self._term_ids]
        if term in self._term_ids and not shortened:
            return [term]
        if term.startswith("#"):
            return []  # a size the catalog does not have
        found: list[str] = [term] if term in self._term_ids else []
        if len(term) >= 3:
            words = self._words
            start = bisect_left(words, term)
            end = bisect_left(words, term + "\uffff", lo=start)
            if end - start <= _MAX_PREFIX_READINGS:
                found.extend(w for w in words[start:end] if w not in found)
        if len(term) >= 3 and not _VOWELS.intersection(term):  # grnd for ground
            found.extend(w for w in self._consonants.get(term, ()) if w not in found)
        if len(term) >= 5:
            found.extend(w for w in self._one_letter_off(term) if w not in found)
        elif len(term) == 4:
            swaps = (term[:i] + term[i + 1] + term[i] + term[i + 2 :] for i in range(3))
            found.extend(s for s in swaps if s in self._term_ids and s not in found)
        return found

    @staticmethod
    def _consonant_table(words: list[str]) -> dict[str, list[str]]:
        """Catalog words by their consonants, for abbreviations that drop the vowels."""
        table: dict[str, list[str]] = {}
        for w in words:
            if w.isalpha() and len(w) >= 4:
                table.setdefault(w.translate(_NO_VOWELS), []).append(w)
        return table

    @staticmethod
    def _typo_table(words: list[str]) -> dict[str, list[str]]:
        """Catalog words under each of their one-letter deletions (and themselves)."""
        table: dict[str, list[str]] = {}
        for w in words:
            if len(w) >= 4 and w.isalpha():
                for d in {w[:i] + w[i + 1 :] for i in range(len(w))} | {w}:
                    table.setdefault(d, []).append(w)
        return table

    def _one_letter_off(self, word: str) -> list[str]:
        """Catalog words one edit away (a letter changed, added, dropped or two swapped)."""
        typos = self._typos
        near: set[str] = set(typos.get(word, ()))
        for i in range(len(word)):
            near.update(typos.get(word[:i] + word[i + 1 :], ()))
        return sorted(w for w in near if DamerauLevenshtein.distance(word, w) <= 1)

    def _nearest(
        self, facts: NameFacts, readings: list[list[str]], limit: int
    ) -> list[ProductInfo]:
        """Products sharing at least half the name's terms, one word among them, that are
        similar enough (:data:`SUGGESTION_FLOOR`)."""
        groups = sorted((r for r in readings if r), key=self._size_of)
        words = [r for r in groups if r[0][0] != "#"]
        if not words:
            return []
        pool = self._union(words[0])
        shared = np.ones(pool.size, dtype=np.int16)
        for group in groups:
            if group is words[0]:
                continue
            held = self._held(group, pool)
            if pool.size > 200 and int(held.sum()) >= 4 * limit:
                # Enough products share this term too: look no further than them.
                pool, shared = pool[held], shared[held] + 1
            else:
                shared += held
        needed = max(1, (len(facts.terms) + 1) // 2)
        close = pool[shared >= needed]
        if not close.size:
            return []
        order = np.argsort(-shared[shared >= needed], kind="stable")[:30]
        typed = " ".join(facts.terms)
        scored = []
        for position in close[order].tolist():
            score = fuzz.token_set_ratio(typed, " ".join(self._terms(position)))
            if score >= SUGGESTION_FLOOR:
                scored.append((-score, self.products[position].name, position))
        return [self.products[p] for _, _, p in sorted(scored)[:limit]]


__all__ = [
    "AMBIGUOUS_LISTED",
    "SUGGESTION_FLOOR",
    "MatchKind",
    "NameFacts",
    "NameIndex",
    "NameMatch",
    "name_facts",
    "singular",
]
