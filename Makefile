# The handbook's build. `make html pdf` and `make test` set up everything they need:
# Debian packages (as root, or it prints the one sudo line), then .venv from the lock.
# Any other target goes to `sphinx-build -M`, e.g. `make spelling`, `make linkcheck`.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
SPHINXBUILD := $(BIN)/sphinx-build
SPHINXOPTS  ?= -W --keep-going -n -q
BUILDDIR    := _build
PDFNAME     := $(shell sed -n 's/^pdf_basename = "\(.*\)"/\1/p' conf.py)

# What the build reads: a change to any of these makes the next build do work.
SOURCES := conf.py $(shell find index.md chapters _ext _static _templates locale wordlist.txt \
             -type f -not -path '*/__pycache__/*' -not -name '*.mo' 2>/dev/null)

# Debian packages: WeasyPrint's Pango, the print fonts, graphviz for diagrams, enchant +
# German hunspell for the spelling check; chromium only for the browser tests.
BUILD_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-ebgaramond fonts-lato fonts-dejavu-core \
              graphviz libenchant-2-2 hunspell-de-de
TEST_DEBS  := chromium
# Debian's own python3 needs python3-venv for `python3 -m venv`.
BUILD_DEBS += $(shell $(PYTHON) -c 'import ensurepip' 2>/dev/null || echo python3-venv)

.PHONY: help html pdf test live clean lock setup
help:
	@echo "make html pdf   HTML-Seiten und PDF bauen (richtet beim ersten Mal alles ein)"
	@echo "make test       alle Prüfungen"
	@echo "make live       HTML mit Live-Reload für Schreibende"
	@echo "make spelling | linkcheck | …   jedes andere sphinx-build -M Ziel"
	@echo "make lock       requirements.lock aus pyproject.toml neu erzeugen"

# -- set-up ------------------------------------------------------------------------------
define ensure_debs
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	  | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installiere Debian-Pakete: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Es fehlen Debian-Pakete. Bitte einmal ausführen:"; \
	    echo "  sudo apt-get install $$missing"; exit 1; \
	  fi; \
	fi
endef

$(VENV)/.debs: Makefile
	$(call ensure_debs,$(BUILD_DEBS))
	@mkdir -p $(VENV) && touch $@

$(VENV)/.test-debs: Makefile
	$(call ensure_debs,$(TEST_DEBS))
	@mkdir -p $(VENV) && touch $@

# The venv is made anew only when it is missing or the lock changed.
$(VENV)/.installed: requirements.lock | $(VENV)/.debs
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps \
	  -r requirements.lock
	@touch $@

setup: $(VENV)/.installed

lock: $(VENV)/.installed
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes \
	  pyproject.toml -o requirements.lock

# -- builds ------------------------------------------------------------------------------
# Every HTML page links the PDF, so whichever of the two is built last puts it in the site.
copy_pdf = if [ -f $(BUILDDIR)/pdf/$(PDFNAME).pdf ] && [ -d $(BUILDDIR)/html ]; then \
	  cp $(BUILDDIR)/pdf/$(PDFNAME).pdf $(BUILDDIR)/html/; fi

# Sphinx notices changed pages and templates itself, but not a changed extension,
# translation or package: then the environment is read afresh (-E).
fresh = $(if $(filter-out index.md chapters/% _static/% _templates/%,$?),-E)

$(BUILDDIR)/html/.stamp: $(SOURCES) $(VENV)/.installed
	$(SPHINXBUILD) -M html . $(BUILDDIR) $(SPHINXOPTS) $(fresh)
	@$(copy_pdf)
	@touch $@

$(BUILDDIR)/pdf/$(PDFNAME).pdf: $(SOURCES) $(VENV)/.installed
	$(SPHINXBUILD) -M pdf . $(BUILDDIR) $(SPHINXOPTS) $(fresh)
	@$(copy_pdf)

html: $(BUILDDIR)/html/.stamp
pdf: $(BUILDDIR)/pdf/$(PDFNAME).pdf

test: $(VENV)/.installed $(VENV)/.test-debs
	$(BIN)/python -m pytest

live: $(VENV)/.installed
	$(BIN)/sphinx-autobuild . $(BUILDDIR)/html --ignore '$(BUILDDIR)/*' --ignore '$(VENV)/*' -n

clean:
	rm -rf $(BUILDDIR)

# linkcheck reports what it could not check on the console: not quiet.
linkcheck: SPHINXOPTS := -W --keep-going -n

# Files are never sphinx-build targets: keep the catch-all below away from them.
Makefile requirements.lock pyproject.toml $(SOURCES): ;

# Anything else is a sphinx-build target (spelling, linkcheck, dirhtml, …).
%: $(VENV)/.installed
	$(SPHINXBUILD) -M $@ . $(BUILDDIR) $(SPHINXOPTS)
