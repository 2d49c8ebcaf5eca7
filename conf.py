"""Sphinx configuration: the one place for every setting, the title and the Stand date."""

import datetime
import os
import sys
import tomllib
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- The handbook --------------------------------------------------------------
project = "Vernetzt, aber mit Plan"
subtitle = "XING, LinkedIn und Facebook für Freiberuflerinnen, Freiberufler und kleine Unternehmen"
author = "Redaktion „Vernetzt, aber mit Plan“"
# The version lives in pyproject.toml, the project's one declaration of itself.
version = release = tomllib.loads(
    (Path(__file__).parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
# The Stand: every platform and legal fact was checked against its sources on this date.
# It is never older than a source's date or reading date (chapters/references.bib).
stand = datetime.date(2026, 12, 1)
copyright = f"{stand.year}, {author}"
# The text's licence: trainers may copy, print and adapt the handouts, if they name the
# handbook and the licence (README, "Lizenz"). The code is MIT-licensed (LICENSE).
license_name = "CC BY 4.0"
license_url = "https://creativecommons.org/licenses/by/4.0/deed.de"
# Who publishes the handbook: its own Impressum (§ 5 DDG, chapter 9). With a name, the site
# gets an Impressum page linked from every footer and the book's last page names it; a
# build with a public address (HANDBOOK_URL) and no publisher says so.
publisher = {"name": "", "address": "", "email": "", "phone": ""}
pdf_basename = "vernetzt-aber-mit-plan"
pdf_keywords = ["XING", "LinkedIn", "Facebook", "soziale Netzwerke", "Freiberufler",
                "kleine Unternehmen", "Kontaktanfrage"]
# The public address of the HTML version, ending in "/". HANDBOOK_URL (environment, or
# `make html pdf HANDBOOK_URL=…`) overrides it. With an address, the cover and every
# handout print it with a QR code, and the site gets a sitemap and canonical links.
html_baseurl = os.environ.get("HANDBOOK_URL", "")
if html_baseurl and not html_baseurl.endswith("/"):
    html_baseurl += "/"

language = "de"
root_doc = "index"
exclude_patterns = ["_build", ".venv", "README.md", "tests", "**/README.md", "workshops"]
templates_path = ["_templates"]
locale_dirs = ["locale"]

extensions = [
    "strict",
    "myst_parser",
    "sphinx_design",
    "graphviz_alt",
    "sphinxcontrib.spelling",
    "sources",
    "sourced",
    "recheck",
    "terminology",
    "typography",
    "stand",
    "platform_table",
    "checklists",
    "local_only",
    "internal_links",
    "linkcheck_offline",
    "pdf",
    "workshop",
    "epub",
]
if html_baseurl:  # a sitemap needs the public address
    extensions.append("sphinx_sitemap")
sitemap_url_scheme = "{link}"  # one language, one version: no /de/1.0/ in the addresses

# -- MyST ----------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "substitution", "attrs_inline", "tasklist"]
myst_heading_anchors = 3

# -- Sources: citations from references.bib, listed in the chapter "Quellen" -------
bibtex_bibfiles = ["chapters/references.bib"]
bibtex_default_style = "handbuch"  # German, with source and reading date (_ext/sources.py)

# Pages that state today's facts throughout: every paragraph names its source
# (_ext/sourced.py; boxes "Heute" are checked on every page).
sourced_documents = ["chapters/07-settings", "chapters/08-safety", "chapters/09-legal-basics"]

# The take-home sheet "Auf einen Blick" answers the reader's questions only.
overview_leaves_out = ["chapters/01-about", "chapters/11-for-trainers",
                       "chapters/14-check-before-workshop"]

# -- Numbers: chapters are referred to as "Kapitel 6" ({numref}) -----------------
numfig = True
numfig_format = {"section": "Kapitel %s", "figure": "Abbildung %s", "table": "Tabelle %s",
                 "code-block": "Beispiel %s"}

# -- Strictness: every warning fails the build (see Makefile: -W --keep-going -n)
nitpicky = True

# -- HTML ----------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["handbook.css"]
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_search_language = "de"
html_theme_options = {
    "navbar_align": "left",
    "navbar_center": [],
    "navbar_end": ["theme-switcher"],
    "article_header_end": ["download-links"],
    "footer_start": ["stand", "licence"],
    "footer_end": [],
    "secondary_sidebar_items": ["page-toc"],
    "show_prev_next": True,
    "icon_links": [],
}
html_sidebars = {"**": ["chapter-nav"]}
graphviz_output_format = "svg"
graphviz_dot_args = ["-Gfontname=Lato", "-Nfontname=Lato", "-Efontname=Lato"]

# -- EPUB (Sphinx's epub builder; _ext/epub.py adds cover, PNG diagrams, epub.css) ----
epub_basename = pdf_basename
epub_title = project
epub_author = epub_publisher = author
epub_copyright = f"{copyright}. Text: {license_name} ({license_url})"
epub_description = f"{subtitle}. Version {version}, Stand: {stand.strftime('%d.%m.%Y')}"
# One identifier for every edition of this handbook, in the OPF and in the NCX (there it
# doubles as an XML id, so it must start with a letter and hold no colon).
epub_scheme = "uuid"
epub_identifier = epub_uid = f"handbuch-{uuid.uuid5(uuid.NAMESPACE_URL, project)}"
epub_cover = ("_static/epub-cover.svg", "epub-cover.html")
epub_show_urls = "footnote"
epub_tocscope = "includehidden"  # the start page's toctree is hidden behind its cards
# The print style is not for e-readers (EPUBCheck rejects its @page margin boxes).
epub_exclude_files = ["_static/print.css", "_static/handbook.css"]
# The EPUB's one stylesheet is _static/epub.css (it takes the place of the epub theme's
# file of that name); the screen's handbook.css uses selectors EPUBCheck rejects.
epub_css_files = []
epub_contributor = author  # Sphinx's default is "unknown"

# -- Spelling (German, new orthography: Debian's hunspell-de-de) ----------------
spelling_lang = "de_DE"
spelling_word_list_filename = "wordlist.txt"
spelling_show_suggestions = False
spelling_warning = True  # one warning per word, with file and line
spelling_ignore_contributor_names = False  # its git-log lookup warns outside a checkout
spelling_ignore_pypi_package_names = False
# The sources list quotes publishers' names and titles (many English) as they are.
spelling_exclude_patterns = ["chapters/13-sources.md"]

# -- Links ----------------------------------------------------------------------
linkcheck_timeout = 15
linkcheck_retries = 2
linkcheck_rate_limit_timeout = 60
linkcheck_ignore = [
    # LinkedIn answers automated requests with status 999 whether or not a page exists.
    r"https://www\.linkedin\.com/.*",
]
