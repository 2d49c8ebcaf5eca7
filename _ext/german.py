"""German forms for everything the build prints: dates, counts and decimals.

Messages and pages are read by German speakers: "1 Seite", "2 Seiten", "0,4 s", and a
date that never breaks between day and month ("26.\u00a0November 2026"). Babel knows the
rules; this module only names the handbook's choices.
"""

import datetime

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = Locale.parse("de_DE")
NBSP = "\u00a0"


def german_date(date: datetime.date) -> str:
    """"26. November 2026", with a no-break space after the day."""
    return format_date(date, f"d.'{NBSP}'MMMM y", locale=LOCALE)


def german_month(date: datetime.date) -> str:
    """"August 2022": for sources dated to the month."""
    return format_date(date, "MMMM y", locale=LOCALE)


def count(number: int, one: str, other: str) -> str:
    """"1 Seite", "23 Seiten": the noun in the number's plural category."""
    return f"{number} {one if LOCALE.plural_form(number) == 'one' else other}"


def decimal(number: float, places: int = 1) -> str:
    """"0,4": a decimal comma and a fixed number of places."""
    return format_decimal(number, "0." + "0" * places if places else "0", locale=LOCALE)
