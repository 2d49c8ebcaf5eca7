# The handbook's build. `make html pdf` and `make test` set up everything they need:
# Debian packages (as root, or it prints the one sudo line), then .venv from the locks:
# requirements.lock for building, requirements-test.lock on top for the tests.
# Any other target goes to `sphinx-build -M`, e.g. `make spelling`, `make linkcheck`.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
SPHINXBUILD := $(BIN)/sphinx-build
SPHINXOPTS  ?= -W --keep-going -n
BUILDDIR    := _build

# The public address (conf.py explains it); `make html pdf HANDBOOK_URL=…` passes it on.
export HANDBOOK_URL
# A file that changes only when the address does, so a new address rebuilds everything.
# Only targets that build touch it; `make help` or `make clean` write nothing.
URL_STAMP := $(BUILDDIR)/.handbook-url
BUILD_GOALS := $(filter html pdf epub workshop test bench live setup,$(MAKECMDGOALS))
ifneq ($(BUILD_GOALS),)
PREVIOUS_URL := $(shell cat $(URL_STAMP) 2>/dev/null)
ifneq ($(PREVIOUS_URL),)
ifeq ($(HANDBOOK_URL),)
$(info Hinweis: Der letzte Build hatte die Adresse $(PREVIOUS_URL); dieser baut ohne sie, ohne QR-Codes. Für die öffentliche Fassung: make $(MAKECMDGOALS) HANDBOOK_URL=$(PREVIOUS_URL))
endif
endif
$(shell mkdir -p $(BUILDDIR); [ -f $(URL_STAMP) ] && [ "$$(cat $(URL_STAMP))" = "$(HANDBOOK_URL)" ] \
  || printf '%s' "$(HANDBOOK_URL)" > $(URL_STAMP))
endif

# What the build reads: a change to any of these makes the next build do work.
SOURCES := conf.py pyproject.toml $(URL_STAMP) \
           $(shell find index.md chapters _ext _static _templates locale wordlist.txt \
             -type f -not -path '*/__pycache__/*' -not -name '*.mo' 2>/dev/null)

# Debian packages: WeasyPrint's Pango, the print fonts, fontconfig (fc-list names the font
# files the typesetting cache hashes), graphviz for diagrams, enchant + German hunspell for
# the spelling check; for the tests chromium (browser checks) and
# poppler-utils (pdftoppm renders the QR codes to read them back),
# libatomic1 (the node binary inside Playwright's wheel needs it; a fresh Debian lacks it),
# epubcheck (validates the EPUB; run as `java -jar`, its wrapper needs binfmt_misc).
BUILD_DEBS := libpango-1.0-0 fontconfig libpangoft2-1.0-0 libharfbuzz-subset0 fonts-ebgaramond fonts-lato fonts-dejavu-core \
              graphviz libenchant-2-2 hunspell-de-de
TEST_DEBS  := chromium poppler-utils ghostscript libatomic1 epubcheck
# Debian's own python3 needs python3-venv for `python3 -m venv`.
BUILD_DEBS += $(shell $(PYTHON) -c 'import ensurepip' 2>/dev/null || echo python3-venv)

.PHONY: help html pdf epub workshop test bench live clean lock setup
help:
	@echo "make html pdf   HTML-Seiten, PDF, Handouts und EPUB bauen (richtet beim ersten Mal alles ein)"
	@echo "make epub       nur das EPUB für E-Reader (auch Teil von make pdf)"
	@echo "make workshop WORKSHOP=workshops/beispiel.toml   das PDF für einen Workshop"
	@echo "make test       alle Prüfungen"
	@echo "make live       HTML mit Live-Reload für Schreibende"
	@echo "make bench      Messwerte: Bauzeit, Speicher, PDF-Größe, Vergleich mit sphinx-simplepdf"
	@echo "make spelling | linkcheck | …   jedes andere sphinx-build -M Ziel"
	@echo "make lock       requirements.lock und requirements-test.lock aus pyproject.toml neu erzeugen"

# -- set-up ------------------------------------------------------------------------------
# Skipped, with one line, where there is no dpkg (not Debian) or SKIP_DEBS=1 says so.
define ensure_debs
	@if [ "$(SKIP_DEBS)" = 1 ] || ! command -v dpkg-query >/dev/null; then \
	  echo "Debian-Pakete: übersprungen (SKIP_DEBS=1 oder kein dpkg); nötig sind:" $(1); exit 0; fi; \
	missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	  | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installiere Debian-Pakete:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Es fehlen Debian-Pakete. Bitte einmal ausführen:"; \
	    echo "  sudo apt-get install" $$missing; exit 1; \
	  fi; \
	fi
endef

$(VENV)/.debs: Makefile
	$(call ensure_debs,$(BUILD_DEBS))
	@mkdir -p $(VENV) && touch $@

# After the build's packages, never beside them: apt holds a lock, and a second run fails.
$(VENV)/.test-debs: Makefile | $(VENV)/.debs
	$(call ensure_debs,$(TEST_DEBS))
	@mkdir -p $(VENV) && touch $@

# The venv is made when missing and brought up to the lock whenever the lock changes.
# Builds need only requirements.lock: what publishes the site installs no test tools.
pip_install = $(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes \
	  --no-deps -r $(1)
$(VENV)/.installed: requirements.lock | $(VENV)/.debs
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(call pip_install,requirements.lock)
	@touch $@

# The tests' tools on top (pytest, Playwright, axe, ruff); the test lock repeats the
# build's pins, so this changes nothing the build uses.
$(VENV)/.test-installed: requirements-test.lock $(VENV)/.installed
	$(call pip_install,requirements-test.lock)
	@touch $@

setup: $(VENV)/.installed

# uv keeps every version already in a lock; the test lock is held to the build's pins, so
# both resolve each package to one version.
lock: $(VENV)/.test-installed
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes \
	  pyproject.toml -o requirements.lock
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes \
	  --extra test -c requirements.lock pyproject.toml -o requirements-test.lock

# -- builds ------------------------------------------------------------------------------
# Every HTML page links the PDF and the EPUB (and each chapter its handout), so whichever
# build runs last puts them into the site: the EPUB folder holds one book, and the PDF
# build lists its files in site-files.txt (PDFBuilder.finish), at their paths in the site.
copy_pdf = if [ -d $(BUILDDIR)/html ]; then \
	  for f in $(BUILDDIR)/epub/*.epub; do [ ! -f $$f ] || cp $$f $(BUILDDIR)/html/; done; \
	  [ ! -f $(BUILDDIR)/pdf/site-files.txt ] || while read -r f; do \
	    mkdir -p "$$(dirname "$(BUILDDIR)/html/$$f")" && cp "$(BUILDDIR)/pdf/$$f" "$(BUILDDIR)/html/$$f"; \
	  done < $(BUILDDIR)/pdf/site-files.txt; fi

# The HTML site and the print build (book and handouts) run side by side on two cores, so
# each keeps its own doctrees: two Sphinx processes must not write one environment.
# -O: whole lines, never mixed up.
# Parallel only for the builds: `make clean html` must not delete while it builds.
ifeq ($(filter clean lock,$(MAKECMDGOALS)),)
MAKEFLAGS += --jobs=2 --output-sync=line
endif
doctrees = -d $(BUILDDIR)/doctrees-$(1)

# Sphinx notices changed pages and templates itself, but not a changed extension,
# translation or package: then the environment is read afresh (-E).
changed_machinery = $(filter-out index.md chapters/% _static/% _templates/% $(BUILDDIR)/html/.stamp,$?)
fresh = $(if $(changed_machinery),-E)

$(BUILDDIR)/html/.stamp: $(SOURCES) $(VENV)/.installed
	$(SPHINXBUILD) -M html . $(BUILDDIR) $(SPHINXOPTS) $(fresh) $(call doctrees,html)
	@$(copy_pdf)
	@touch $@

# The book and the handouts in one build: the sources are read once, and WeasyPrint sets
# all of them on both cores.
$(BUILDDIR)/pdf/.stamp: $(SOURCES) $(VENV)/.installed
	$(SPHINXBUILD) -M pdf . $(BUILDDIR) $(SPHINXOPTS) $(fresh) $(call doctrees,pdf)
	@touch $@
	@$(copy_pdf)

# The EPUB reuses what the HTML build has just read (its doctrees), so it comes after it
# and reads nothing itself. Sphinx would see its pages as current even after the HTML
# build re-read everything for a changed extension: then every page is written (-a).
# Its stamp lies beside the output folder: Sphinx packs whatever it finds inside.
$(BUILDDIR)/.epub-stamp: $(BUILDDIR)/html/.stamp $(SOURCES)
	$(SPHINXBUILD) -M epub . $(BUILDDIR) $(SPHINXOPTS) $(if $(changed_machinery),-a) \
	  $(call doctrees,html)
	@touch $@
	@$(copy_pdf)

html: $(BUILDDIR)/html/.stamp
# The downloads: the book, the handouts and the e-reader edition.
pdf: $(BUILDDIR)/pdf/.stamp epub
epub: $(BUILDDIR)/.epub-stamp

# One workshop's edition, described in a TOML file (README: "Eine Ausgabe für Ihren Workshop").
# The file is checked first: a typo is reported at once, before Sphinx starts.
workshop: $(VENV)/.installed
	@$(BIN)/python _ext/workshop_file.py "$(WORKSHOP)"
	$(SPHINXBUILD) -M workshop . $(BUILDDIR) $(SPHINXOPTS) -D "workshop_file=$(WORKSHOP)"

# The linter first: it takes a second, the tests minutes.
test: $(VENV)/.test-installed $(VENV)/.test-debs
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# Figures, not tests: times, memory and PDF size against sphinx-simplepdf (README).
bench: $(VENV)/.test-installed $(VENV)/.test-debs
	$(BIN)/python tests/bench/bench.py $(BENCH_ARGS)

live: $(VENV)/.installed
	$(BIN)/sphinx-autobuild . $(BUILDDIR)/html --ignore '$(BUILDDIR)/*' --ignore '$(VENV)/*' -n

clean:
	rm -rf $(BUILDDIR)

# Files are never sphinx-build targets: keep the catch-all below away from them.
Makefile requirements.lock requirements-test.lock $(SOURCES): ;

# Anything else is a sphinx-build target (spelling, linkcheck, dirhtml, …).
%: $(VENV)/.installed
	$(SPHINXBUILD) -M $@ . $(BUILDDIR) $(SPHINXOPTS)
