"""The tokenizer's fast shape: taken only when every segment starts with a tag.

The fast shape reads the text without splitting it (service segments found by their
``'UN``, a message's lines by one pattern); it must never be taken for a text the
segment-by-segment reading would read otherwise.
"""

from __future__ import annotations

import pytest

from parsers.edifact.service_chars import DEFAULT, ServiceChars
from parsers.edifact.tokenizer import Segments

HEAD = "UNB+UNOC:3+SENDER+RECIPIENT+240101:1200+REF1'UNH+1+ORDERS:D:96A:UN'BGM+220+PO1'"
TAIL = "UNT+3+1'UNZ+1+REF1'"


@pytest.mark.parametrize(
    "text",
    [
        HEAD + TAIL,
        HEAD + TAIL + "  \t",  # blanks after the last terminator
        HEAD + "LIN+1++4000862141404:EN'" + TAIL,
        HEAD + "\n" + TAIL + "\r\n",  # line breaks are layout
    ],
)
def test_a_text_whose_segments_all_start_with_a_tag_is_read_fast(text: str) -> None:
    assert Segments(text, DEFAULT).is_fast


@pytest.mark.parametrize(
    "text",
    [
        HEAD + " LIN+1'" + TAIL,  # a blank after a terminator, in the middle
        HEAD + "lin+1'" + TAIL,  # a tag in lower case
        HEAD + "LI+1'" + TAIL,  # two letters
        HEAD + "LIN1'" + TAIL,  # no separator after the tag
        HEAD + "'" + TAIL,  # an empty segment
        HEAD + TAIL + " x",  # text after the last terminator
        HEAD + TAIL + "UNZ",  # an unterminated last segment
        "#" + HEAD + TAIL,  # a first segment without a tag
    ],
)
def test_a_segment_without_a_tag_anywhere_sends_the_text_to_the_segment_reader(
    text: str,
) -> None:
    assert not Segments(text, DEFAULT).is_fast


def test_other_separators_are_the_tags_separators() -> None:
    chars = ServiceChars(component="~", element="*", release="", terminator="!")
    text = "UNB*UNOC~3*S*R*240101~1200*REF1!UNH*1*ORDERS~D~96A~UN!UNT*2*1!UNZ*1*REF1!"
    assert Segments(text, chars).is_fast
    assert not Segments(text.replace("UNT*", "UNT+"), chars).is_fast
