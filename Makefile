# Agreement Sync — the front door.
#   make run    build and start the app (Demo mode on a fresh install; no credentials needed)
#   make test   install what is missing, then run every test: Rust, UI unit tests, end-to-end
#   make bench  benchmarks (figures and ratios; never pass/fail on time)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

CARGO ?= cargo
TARGET_DIR ?= $(CURDIR)/target
APP := $(TARGET_DIR)/debug/agreement-sync
SIM := $(TARGET_DIR)/debug/agreement-sync-sim
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages: build (Tauri/WebKitGTK), end-to-end (Xvfb, WebKitWebDriver), keyring tests.
APT_PACKAGES := build-essential pkg-config libwebkit2gtk-4.1-dev libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev webkit2gtk-driver xvfb xauth \
	dbus dbus-x11 libdbus-1-dev gnome-keyring libsecret-1-dev fonts-dejavu-core faketime \
	python3-dbusmock desktop-file-utils

.PHONY: run test deps deps-system deps-ui deps-e2e tauri-driver ui app bindings lint \
	test-rust test-keyring test-ui e2e test-moved-clock test-rust-moved-clock e2e-moved-clock \
	rust-moved-clock e2e-bin e2e-moved-clock-run \
	bench bench-core bench-app package test-package clean

deps: deps-system deps-ui

deps-system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages: $$missing"; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# npm ci only when the lock file changed since the last install.
ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

deps-ui: ui/node_modules/.package-lock.json

tests/e2e/node_modules/.package-lock.json: tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund
	@touch $@

tauri-driver:
	@command -v tauri-driver >/dev/null 2>&1 || $(CARGO) install tauri-driver --locked

deps-e2e: deps-system tauri-driver tests/e2e/node_modules/.package-lock.json

ui: deps-ui
	cd ui && npm run build

app: deps-system ui
	$(CARGO) build --workspace --bins

run: app
	$(APP)

# The shell embeds ui/dist; for regenerating bindings any build of it will do, even one made
# while the types are stale (so vite alone, without tsc).
ui/dist/index.html: | deps-ui
	cd ui && npx vite build

# Regenerates the UI's TypeScript types from the Rust view types, then what the list of commands
# makes: the typed command map (ui/src/bindings/commands.ts) and the main window's capability.
bindings: deps-system ui/dist/index.html
	UPDATE_BINDINGS=1 $(CARGO) test -p agreement-sync-core --test bindings
	UPDATE_BINDINGS=1 $(CARGO) test -p agreement-sync --lib commands::bindings

lint: deps-system ui
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	cd ui && npm run typecheck

test-rust: deps-system ui
	$(CARGO) test --workspace

# The OS keyring for real: a private D-Bus session with a fresh, unlocked gnome-keyring-daemon
# (its keyring files in a temporary folder), and the command after it inside that session.
WITH_KEYRING = dbus-run-session -- sh -c 'export XDG_DATA_HOME=$$(mktemp -d) && \
	printf "%s" agreement-sync-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
	exec "$$@"' with-keyring

# With --workspace, the features are those of `make test-rust`'s build, so nothing is built again
# (`-p agreement-sync-core` alone unifies them apart and rebuilt every dependency, about a minute).
test-keyring: deps-system
	$(WITH_KEYRING) $(CARGO) test --workspace --test keyring -- --ignored

test-ui: deps-ui
	cd ui && npm test

e2e: app deps-e2e
	cd tests/e2e && $(WITH_KEYRING) xvfb-run -a -s "-screen 0 1400x900x24" npm test

# The suite once more with the clock moved far from any date its data was written on (a leap
# day, a year away): every test pins the "today" it depends on, so nothing may change. The tests
# are built first; only the built tests and the app run under libfaketime.
MOVED_CLOCK ?= @2028-02-29 10:00:00

test-rust-moved-clock: test-rust
	$(MAKE) rust-moved-clock

e2e-moved-clock: app deps-e2e
	$(MAKE) e2e-bin
	$(MAKE) e2e-moved-clock-run

# The two runs alone, on what is built already (one after the other: side by side, the window's
# WebDriver session once timed out while the Rust tests took both cores).
rust-moved-clock:
	FAKETIME_AT="$(MOVED_CLOCK)" $(CARGO) test --workspace \
		--config "target.'cfg(all())'.runner = ['$(CURDIR)/tests/moved-clock']"

# The end-to-end run of the moved clock drives copies of the built app and simulator: the Rust
# tests beside it link target/debug's again (their build of the app has Tauri's test feature).
E2E_BIN := $(TARGET_DIR)/e2e-bin

e2e-bin:
	rm -rf $(E2E_BIN) && mkdir -p $(E2E_BIN) && cp $(APP) $(SIM) $(E2E_BIN)/

e2e-moved-clock-run:
	lib=$$(dpkg -L libfaketime | grep '/libfaketime.so.1$$') && \
	cd tests/e2e && E2E_FAKETIME="$(MOVED_CLOCK)" E2E_FAKETIME_LIB="$$lib" \
		E2E_APP_BINARY=$(E2E_BIN)/agreement-sync E2E_SIM_BINARY=$(E2E_BIN)/agreement-sync-sim \
		$(WITH_KEYRING) xvfb-run -a -s "-screen 0 1400x900x24" npm test

test-moved-clock: test-rust-moved-clock e2e-moved-clock

test: deps deps-e2e lint test-rust test-keyring test-ui e2e test-package
	$(MAKE) e2e-bin
	$(MAKE) rust-moved-clock
	$(MAKE) e2e-moved-clock-run
	@echo "All tests passed."

# The Debian package (SPEC §18): the release build, bundled by the Tauri bundler (the deb bundle
# only; it downloads nothing). `sudo apt install ./target/release/bundle/deb/*.deb` installs it.
TAURI := ui/node_modules/.bin/tauri

# The bundler names the file after the product ("Agreement Sync_0.1.0_amd64.deb"); it is renamed
# the Debian way, package_version_architecture.deb, as apt and people expect.
DEB_NAME = deb=$$(ls -t "$(1)"/*.deb | head -1) && \
	named="$(1)/$$(dpkg-deb -f "$$deb" Package)_$$(dpkg-deb -f "$$deb" Version)_$$(dpkg-deb -f "$$deb" Architecture).deb" && \
	{ [ "$$deb" = "$$named" ] || mv -f "$$deb" "$$named"; }

package: deps-system ui
	$(TAURI) build --bundles deb
	@$(call DEB_NAME,target/release/bundle/deb) && echo "Built $$named: $$(du -h "$$named" | cut -f1)"

# The package as CI checks it: the debug build `make app` made, bundled the same way, installed
# with apt, its files and desktop entry checked, one end-to-end spec run against the installed
# program, and removed (tests/package/check.sh).
test-package: app deps-e2e
	$(TAURI) bundle --debug --bundles deb
	@$(call DEB_NAME,target/debug/bundle/deb)
	$(WITH_KEYRING) xvfb-run -a -s "-screen 0 1400x900x24" tests/package/check.sh target/debug/bundle/deb

# Benchmarks (release builds; they print figures, targets and ratios, and never fail on time):
# the core's (task list, Check Changes, suggestions, wizard) and the app's own (start-up and
# memory with 50,000 cached tasks, driven through the window like the end-to-end tests).
bench: bench-core bench-app

bench-core: deps-system ui
	$(CARGO) bench -p agreement-sync-core

bench-app: deps-system ui deps-e2e
	$(CARGO) build --release -p agreement-sync
	$(CARGO) build --release -p agreement-sync-core --example seed_tasks
	cd tests/e2e && E2E_APP_BINARY="$(CURDIR)/target/release/agreement-sync" \
		$(WITH_KEYRING) xvfb-run -a -s "-screen 0 1400x900x24" npx vitest run --config vitest.bench.config.ts

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules tests/e2e/node_modules
