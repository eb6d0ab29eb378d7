"""Who may send an EDI interchange, and to whom: the sender rules on a configuration only."""

from __future__ import annotations

import pytest

from gateway.config.settings import GatewayConfig
from gateway.errors import Refused
from gateway.rules.senders import (
    SenderRefused,
    addressed_to_us,
    check_application_sender,
    check_sender,
    owner_of,
)
from parsers.document import SourceFormat

CONFIG = GatewayConfig.model_validate(
    {
        "partners": {
            "retail": {"name": "R", "edi_ids": ["14:5412345000013"]},
            "us": {"name": "U", "edi_ids": ["NORTHWIND"], "application_ids": ["NW-EAST"]},
            "west": {"name": "W", "edi_ids": ["NORTHWIND"], "application_ids": ["NW-WEST"]},
            "none": {"name": "N"},
        }
    }
)


def test_a_partner_sends_as_its_own_ids() -> None:
    check_sender(CONFIG, "retail", SourceFormat.EDIFACT, "14", "5412345000013")
    check_sender(CONFIG, "us", SourceFormat.X12, "ZZ", "NORTHWIND")  # any qualifier


def test_a_qualified_id_needs_its_qualifier() -> None:
    with pytest.raises(SenderRefused, match="UNB"):
        check_sender(CONFIG, "retail", SourceFormat.EDIFACT, "ZZ", "5412345000013")


def test_sending_as_another_partner_is_refused() -> None:
    with pytest.raises(SenderRefused) as refused:
        check_sender(CONFIG, "none", SourceFormat.EDIFACT, "14", "5412345000013")
    assert isinstance(refused.value, Refused) and refused.value.format == "edifact"


def test_an_empty_sender_is_refused() -> None:
    with pytest.raises(SenderRefused, match="names no sender"):
        check_sender(CONFIG, "retail", SourceFormat.X12, "ZZ", "  ")


def test_divisions_sharing_an_isa_id_are_told_apart_by_gs02() -> None:
    check_application_sender(CONFIG, "us", "NW-EAST", "segment 2")
    with pytest.raises(SenderRefused, match="GS02"):
        check_application_sender(CONFIG, "us", "NW-WEST", "segment 2")
    check_application_sender(CONFIG, "retail", "ANYTHING", "segment 2")  # none set: any


def test_the_owner_of_an_id_is_the_partner_listing_it() -> None:
    assert owner_of(CONFIG, "14", "5412345000013") == "retail"
    assert owner_of(CONFIG, "14", "0000000000000") is None


def test_without_receiver_ids_every_interchange_is_for_us() -> None:
    assert addressed_to_us([], "ZZ", "SOMEONE")
    assert not addressed_to_us(["14:3012345000000"], "14", "3099999999999")
