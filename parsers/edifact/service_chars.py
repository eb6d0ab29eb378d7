"""The six service characters of an interchange, read from UNA or defaulted.

ISO 9735 lets each interchange declare its delimiters in a 9-character *service
string advice* ``UNA:+.? '`` — component separator, element separator, decimal mark,
release character, repetition separator (a reserved space before syntax 4) and
segment terminator, in that order.  Without UNA the defaults apply.

>>> parse_una("UNA:+,? '")
ServiceChars(component=':', element='+', decimal=',', release='?', repetition=' ', terminator="'")
>>> DEFAULT.escape("a+b'c")
"a?+b?'c"

Without a release character (a space in UNA position 4, syntax 4) a service character
cannot be written as data at all: it becomes a space, and the UNA keeps its space.

>>> chars = parse_una("UNA:+. *'")
>>> chars.una(), chars.escape("a+b")
("UNA:+. *'", 'a b')
"""

from __future__ import annotations

from dataclasses import dataclass, field

UNA_LENGTH = 9  # "UNA" + six characters


class InvalidServiceChars(ValueError):
    """The UNA cannot be used: too short, duplicated or alphanumeric delimiters."""


@dataclass(frozen=True, slots=True)
class ServiceChars:
    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    #: Syntax 4 repetition separator; a space means "not used" (syntax 1-3)
    repetition: str = " "
    terminator: str = "'"
    _escape_table: dict[int, str] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        specials = [self.release, self.terminator, self.element, self.component]
        if self.repetition != " ":
            specials.append(self.repetition)
        # No release character: nothing can be released, so a delimiter in data is blanked.
        table = {ord(c): self.release + c if self.release else " " for c in specials if c}
        object.__setattr__(self, "_escape_table", table)

    def una(self) -> str:
        """The nine-character service string advice; "no release character" is a space."""
        return (
            f"UNA{self.component}{self.element}{self.decimal}"
            f"{self.release or ' '}{self.repetition}{self.terminator}"
        )

    def escape(self, value: str) -> str:
        """``value`` with the release character put before every service character."""
        return value.translate(self._escape_table)

    @property
    def is_default(self) -> bool:
        return self == DEFAULT


DEFAULT = ServiceChars()


def parse_una(una: str) -> ServiceChars:
    """Service characters from a UNA string advice (``UNA`` plus six characters)."""
    if len(una) < UNA_LENGTH or not una.startswith("UNA"):
        raise InvalidServiceChars(f"UNA must be 'UNA' and six characters, found {una!r}")
    component, element, decimal, release, repetition, terminator = tuple(una[3:UNA_LENGTH])
    # Release may be a space meaning "no release character" (syntax 4 allows it)
    release = "" if release == " " else release
    delimiters = [c for c in (component, element, release, terminator) if c]
    if repetition != " ":
        delimiters.append(repetition)
    if len(set(delimiters)) != len(delimiters):
        raise InvalidServiceChars(f"UNA uses the same character for two roles: {una[:9]!r}")
    if any(c.isalnum() for c in delimiters):
        raise InvalidServiceChars(f"UNA delimiters must not be letters or digits: {una[:9]!r}")
    if decimal not in ".,":
        # Tolerated: numbers are read with either mark anyway.
        decimal = "."
    return ServiceChars(component, element, decimal, release, repetition, terminator)
