"""GTIN check digits, lengths and the leading zeros spreadsheets drop."""

from __future__ import annotations

import doctest

import pytest

from parsers import gtin


def test_module_doctests_hold():
    assert doctest.testmod(gtin).failed == 0


@pytest.mark.parametrize(
    "number",
    ["96385074", "036000291452", "4006381333931", "3017620422003", "10614141000415"],
)
def test_every_gtin_length_validates(number):
    assert gtin.validate(number) == number


def test_validate_compacts_spaces_hyphens_and_apostrophe():
    assert gtin.validate("'4006381-333931 ") == "4006381333931"


def test_wrong_check_digit_is_an_invalid_checksum():
    with pytest.raises(gtin.InvalidChecksum):
        gtin.validate("4006381333932")


def test_letters_are_an_invalid_format():
    with pytest.raises(gtin.InvalidFormat):
        gtin.validate("40063813339A1")


@pytest.mark.parametrize("number", ["1234567", "12345678901", "123456789012345"])
def test_lengths_other_than_8_12_13_14_are_invalid_length(number):
    with pytest.raises(gtin.InvalidLength):
        gtin.validate(number)


def test_every_error_is_a_gtin_error_and_a_value_error():
    assert issubclass(gtin.InvalidChecksum, gtin.GtinError)
    assert issubclass(gtin.GtinError, ValueError)


def test_is_valid_never_raises():
    assert gtin.is_valid("96385074")
    assert not gtin.is_valid("abc")
    assert not gtin.is_valid("")


def test_the_same_item_has_one_gtin14_whatever_its_length():
    assert gtin.to_gtin14("036000291452") == gtin.to_gtin14("0036000291452") == "00036000291452"


@pytest.mark.parametrize(
    ("stored", "restored"),
    [
        ("36000291452", "036000291452"),  # UPC-A that lost one zero
        ("1234565", "01234565"),  # EAN-8 that lost one zero
        ("614141000012", "614141000012"),  # already a GTIN-12: kept
        ("4006381333931", "4006381333931"),  # already a GTIN-13: kept
    ],
)
def test_restore_leading_zeros_pads_to_the_shortest_real_length(stored, restored):
    assert gtin.restore_leading_zeros(stored) == restored


@pytest.mark.parametrize("stored", ["36000291453", "1234566", "123456", "12AB"])
def test_restore_leading_zeros_leaves_what_the_check_digit_does_not_prove(stored):
    assert gtin.restore_leading_zeros(stored) == stored


def test_a_column_of_check_digits_agrees_with_calc_check_digit_on_every_length():
    import random

    rng = random.Random(18)
    codes = [
        "".join(rng.choice("0123456789") for _ in range(rng.choice(gtin.GTIN_LENGTHS)))
        for _ in range(5000)
    ]
    codes += [c[:-1] + gtin.calc_check_digit(c[:-1]) for c in codes[:500]]
    expected = [gtin.calc_check_digit(c[:-1]) == c[-1] for c in codes]
    assert gtin.check_digits_match(codes).tolist() == expected


@pytest.mark.parametrize(
    "code, plain",
    [
        ("96385074", True),
        ("036000291452", True),
        ("4006381333931", True),
        ("04006381333931", True),
        ("4006381333932", True),  # a wrong check digit is still written as a GTIN is
        ("400638133393", True),  # 12 digits
        ("4006381", False),
        ("400638133393123", False),
        ("", False),
        ("4006381 333931", False),
        ("4.00638E+12", False),
        ("４００６３８１３３３９３１", False),  # full-width digits are digits, not ASCII
        ("400638133393²", False),
    ],
)
def test_a_code_is_plain_when_it_is_ascii_digits_of_a_gtin_length(code, plain):
    assert gtin.is_plain(code) is plain
    assert gtin.all_plain([code]) is plain
    assert gtin.all_plain(["4006381333931", code, "96385074"]) is plain


def test_a_batch_is_all_plain_only_when_each_code_is_and_blanks_only_when_allowed():
    codes = ["4006381333931", "96385074", "036000291452"]
    assert gtin.all_plain(codes) and gtin.all_plain(set(codes))
    assert gtin.all_plain([]) and gtin.all_plain([], blanks=True)
    # digits joined across codes of the wrong lengths are still not GTINs
    assert not gtin.all_plain(["4006", "3813"])
    assert not gtin.all_plain(codes + [""])
    assert gtin.all_plain(codes + ["", ""], blanks=True)
    assert not gtin.all_plain(["", "4006381"], blanks=True)
    assert not gtin.all_plain(["", "4006381333931 "], blanks=True)
