# frontend/assets.mk - the front-end assets, included by the top-level Makefile.
#
# `make assets` writes everything the portal serves at /assets/<path> into build/assets/ (a fixed
# path, shared by normal and sanitizer builds):
#   app.css          frontend/styles/*.scss compiled with GOV.UK Frontend's Sass, compressed
#   app.js           GOV.UK Frontend's ES module bundle followed by frontend/js/init.mjs
#   images/*         frontend/images/* (favicon)
# npm packages are installed with `npm ci` only when package-lock.json is newer than the copy
# npm keeps in node_modules; every other rule rebuilds only when its sources change.

FE_DIR := frontend
FE_OUT := build/assets
FE_NODE_MODULES := $(FE_DIR)/node_modules/.package-lock.json
FE_GOVUK_JS := $(FE_DIR)/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js
FE_SCSS := $(wildcard $(FE_DIR)/styles/*.scss)
FE_IMAGES := $(patsubst $(FE_DIR)/images/%,$(FE_OUT)/images/%,$(wildcard $(FE_DIR)/images/*))

.PHONY: assets
assets: $(FE_OUT)/app.css $(FE_OUT)/app.js $(FE_IMAGES)

$(FE_NODE_MODULES): $(FE_DIR)/package-lock.json
	cd $(FE_DIR) && npm ci --no-audit --no-fund
	@touch $@

$(FE_OUT)/app.css: $(FE_SCSS) $(FE_NODE_MODULES)
	@mkdir -p $(@D)
	$(FE_DIR)/node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps \
		--load-path=$(FE_DIR)/node_modules $(FE_DIR)/styles/app.scss $@

# The bundle's last line ends in a source map comment for a file we do not serve: drop it.
$(FE_OUT)/app.js: $(FE_DIR)/js/init.mjs $(FE_NODE_MODULES)
	@mkdir -p $(@D)
	sed 's|//# sourceMappingURL=[^ ]*$$||' $(FE_GOVUK_JS) > $@
	printf '\n' >> $@
	cat $(FE_DIR)/js/init.mjs >> $@

$(FE_OUT)/images/%: $(FE_DIR)/images/%
	@mkdir -p $(@D)
	cp $< $@
