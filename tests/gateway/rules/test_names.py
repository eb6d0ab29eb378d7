"""Name matching on plain data: what a typed name says, and which product it names."""

from __future__ import annotations

import doctest
from decimal import Decimal

import pytest

from gateway.rules import names
from gateway.rules.names import MatchKind, NameIndex, name_facts, singular
from gateway.rules.products import ProductInfo


def product(pid: int, sku: str, name: str) -> ProductInfo:
    return ProductInfo(pid, sku, name, "EA", Decimal(1), True)


DARK = product(1, "CHOC-NOIR", "Chocolat noir 70% cacao 100g")
MILK = product(2, "CHOC-LAIT", "Chocolat au lait 100 g")
SPAGHETTI = product(3, "PATE-SPA", "Spaghetti 500 g")
PEPPER = product(4, "POIV-NOI", "Poivre noir moulu 50 g")
JAM = product(5, "CONF-FRA", "Confiture de fraises 370 g")
JAM_BIO = product(6, "CONF-FRA-BIO", "Confiture de fraises bio 370 g")
COFFEE_250 = product(7, "CAF-250", "Café moulu pur arabica 250 g")
COFFEE_500 = product(8, "CAF-500", "Café moulu pur arabica 500 g")
WATER = product(9, "EAU-1L5", "Eau gazeuse 1,5 L")
WATER_PACK = product(10, "EAU-6X1L5", "Eau gazeuse 6 x 1,5 L")
EGGS = product(11, "OEUF-12", "Œufs frais boîte de 12")
RICE = product(12, "RIZ-1K", "Riz basmati 1 kg")
CATALOG = [DARK, MILK, SPAGHETTI, PEPPER, JAM, JAM_BIO, COFFEE_250, COFFEE_500, WATER,
           WATER_PACK, EGGS, RICE]  # fmt: skip


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex(CATALOG)


def test_module_doctests_hold():
    assert doctest.testmod(names).failed == 0


# --- what a name says ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("100 g", "100g"),
        ("1,5 L", "1.5l"),
        ("1,5 L", "1l5"),
        ("1,5 L", "150 cl"),
        ("1 kilo", "1 kg"),
        ("1 kg", "1000 g"),
        ("0,5 kg", "500 grammes"),
        ("70 %", "70%"),
        ("6 x 1 L", "lot de 6 1L"),
        ("6 x 1 L", "1 L x 6"),
    ],
)
def test_sizes_written_differently_are_the_same_fact(one, other):
    assert name_facts(one).sizes == name_facts(other).sizes != ()


def test_case_accents_spacing_and_punctuation_do_not_count():
    assert name_facts("  CAFÉ   moulu,  pur-arabica ").words == ("cafe", "moulu", "pur", "arabica")


def test_ligatures_are_spelled_out():
    assert name_facts("Œufs").words == name_facts("oeufs").words == ("oeuf",)


@pytest.mark.parametrize(
    ("plural", "singular_form"),
    [("spaghettis", "spaghetti"), ("fraises", "fraise"), ("gateaux", "gateau")],
)
def test_plurals_read_as_their_singular(plural, singular_form):
    assert singular(plural) == singular_form


def test_small_words_and_packaging_are_left_out():
    assert name_facts("Pot de confiture à la fraise").words == ("confiture", "fraise")


def test_common_abbreviations_are_spelled_out():
    assert name_facts("Choc. noir").words == ("chocolat", "noir")


# --- which product -----------------------------------------------------------------------------
def test_a_size_written_without_its_space_finds_the_product(index):
    found = index.match("Chocolat noir 70 % 100 g")
    assert found.product == DARK


def test_a_name_inside_a_longer_catalog_name_finds_it(index):
    assert index.match("Poivre moulu").product == PEPPER


def test_a_plural_finds_the_singular_product(index):
    assert index.match("Spaghettis").product == SPAGHETTI


def test_word_order_does_not_count(index):
    assert index.match("370g fraises confiture").product == JAM


def test_a_name_that_fits_several_products_equally_is_ambiguous_and_lists_them(index):
    found = index.match("Chocolat 100 g")
    assert found.kind is MatchKind.AMBIGUOUS
    assert {p.sku for p in found.candidates} == {"CHOC-NOIR", "CHOC-LAIT"}


def test_a_missing_size_among_siblings_of_several_sizes_is_ambiguous(index):
    found = index.match("Café moulu arabica")
    assert found.kind is MatchKind.AMBIGUOUS
    assert set(found.candidates) == {COFFEE_250, COFFEE_500}


def test_another_size_is_never_accepted_as_the_product(index):
    found = index.match("Café moulu pur arabica 1 kg")
    assert found.product is None
    assert found.kind is MatchKind.UNKNOWN


def test_the_plain_product_is_not_its_bio_variant(index):
    assert index.match("Confiture de fraises 370 g").product == JAM


def test_a_variant_the_catalog_lacks_is_never_dropped(index):
    assert index.match("Riz basmati bio 1 kg").product is None


def test_a_single_bottle_is_not_the_pack_of_six(index):
    assert index.match("Eau gazeuse 1l5").product == WATER
    assert index.match("Eau gazeuse 6x1,5L").product == WATER_PACK


def test_a_count_written_as_a_bare_number_finds_the_box(index):
    assert index.match("12 oeufs frais").product == EGGS


def test_a_typo_in_a_long_word_is_read_at_a_lower_confidence(index):
    found = index.match("Confitrue de fraises 370 g")
    assert found.product == JAM
    assert found.reread and found.confidence < index.match("Confiture fraises 370 g").confidence


def test_an_abbreviation_as_a_word_start_is_read(index):
    assert index.match("Poiv. noir moul. 50 g").product == PEPPER


def test_a_typo_in_a_short_word_is_not_guessed(index):
    assert index.match("Riz basmoti 1 kg").product == RICE  # seven letters: read
    assert index.match("Poivre niur moulu").product is None  # four letters, not a swap


def test_a_size_alone_names_no_product(index):
    found = index.match("500 g")
    assert (found.product, found.candidates, found.suggestions) == (None, [], [])


def test_an_unrelated_name_gets_no_suggestion(index):
    assert index.match("Pneu 205/55 R16").suggestions == []


def test_an_unknown_variety_suggests_its_family_above_the_floor(index):
    found = index.match("Confiture de myrtilles 370 g")
    assert found.product is None
    assert found.suggestions[:2] == [JAM, JAM_BIO]


def test_an_empty_catalog_matches_nothing():
    assert NameIndex([]).match("Chocolat noir").kind is MatchKind.UNKNOWN


def test_a_size_in_another_unit_finds_the_product(index):
    assert index.match("Riz basmati 1000 g").product == RICE
    assert index.match("riz basmati 1 kilo").product == RICE


def test_oe_written_for_the_ligature_finds_the_product(index):
    assert index.match("Oeufs frais x12").product == EGGS
