"""What the build prints reads as German: "1 Seite", "0,4 s", no break in "26. November"."""

import datetime
import re

import pytest

from german import count, decimal, german_date


def test_singular_and_plural():
    assert count(1, "Seite", "Seiten") == "1 Seite"
    assert count(2, "Seite", "Seiten") == "2 Seiten"
    assert count(0, "externer Link", "externe Links") == "0 externe Links"
    assert count(1, "externer Link", "externe Links") == "1 externer Link"


def test_decimal_comma():
    assert decimal(0.44) == "0,4"
    assert decimal(12.0, 2) == "12,00"


def test_a_month_reads_as_a_german_month():
    from german import german_month

    assert german_month(datetime.date(2022, 8, 1)) == "August 2022"
    assert german_month(datetime.date(2025, 3, 1)) == "März 2025"


def test_no_line_break_between_day_and_month():
    assert german_date(datetime.date(2026, 11, 26)) == "26.\u00a0November 2026"


@pytest.mark.slow
def test_progress_lines_count_pages_in_german(tmp_path):
    from helpers import make_project, sphinx_build

    src = make_project(tmp_path / "src")
    result = sphinx_build("pdf", src, tmp_path / "out", quiet=False)
    assert result.returncode == 0, result.stderr
    # the one-page overview of short answers
    assert re.search(r"00-auf-einen-blick\.pdf: 1 Seite in \d+,\d s", result.stdout), result.stdout
