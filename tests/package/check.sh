#!/usr/bin/env bash
# The Debian package as a person gets it (SPEC §18): installed with apt, its files and desktop
# entry checked, the installed program started in Demo on the data folder `make run` uses, one
# end-to-end spec run against it, then removed — leaving no program, entry or icon behind.
#
#   tests/package/check.sh <folder of the .deb>
#
# Run from the repository, on a display (Xvfb) and a session bus with an unlocked keyring, as
# `make test-package` does.
set -euo pipefail

folder=$1
sudo=$([ "$(id -u)" = 0 ] || echo sudo)
deb=$(ls -t "$folder"/*.deb | head -1)
deb=$(realpath "$deb")
package=$(dpkg-deb -f "$deb" Package)
echo "Package $package: $(dpkg-deb -f "$deb" Version), $(du -h "$deb" | cut -f1), depends on: $(dpkg-deb -f "$deb" Depends)"
for needed in libwebkit2gtk-4.1-0 libgtk-3-0 libdbus-1-3; do
	dpkg-deb -f "$deb" Depends | grep -q "$needed" || { echo "the package does not depend on $needed"; exit 1; }
done

DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$deb" >/dev/null
trap 'DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -qq "$package" >/dev/null 2>&1 || true' EXIT

files=$(dpkg -L "$package")
binary=/usr/bin/agreement-sync
desktop=$(grep '^/usr/share/applications/.*\.desktop$' <<<"$files")
for f in "$binary" "$desktop"; do
	[ -e "$f" ] || { echo "the package did not install $f"; exit 1; }
done
grep -q '^/usr/share/icons/hicolor/.*/apps/.*\.png$' <<<"$files" || { echo "the package installs no icon"; exit 1; }
# Icon themes read only hicolor/<N>x<N>/apps (a folder such as 256x256@2 is never looked in).
odd=$(grep '^/usr/share/icons/hicolor/.*/apps/.*\.png$' <<<"$files" | grep -Ev '^/usr/share/icons/hicolor/([0-9]+)x\1/apps/' || true)
[ -z "$odd" ] || { echo "icons where no icon theme looks: $odd"; exit 1; }
desktop-file-validate "$desktop"
grep -q '^Exec=agreement-sync' "$desktop" || { echo "the desktop entry does not start $binary"; exit 1; }
grep -q '^Categories=.*Finance' "$desktop" || { echo "the desktop entry is not in the Finance menu"; exit 1; }
"$binary" --version

# A fresh start with no data folder named: the one `make run` uses, under the person's home.
home=$(mktemp -d)
expected="$home/.local/share/$(grep -o '"identifier": *"[^"]*"' tauri.conf.json | cut -d'"' -f4)"
env -u XDG_DATA_HOME -u XDG_CONFIG_HOME HOME="$home" "$binary" >/dev/null 2>&1 &
started=$!
for _ in $(seq 150); do
	grep -qs "Agreement Sync starting" "$expected"/logs/* && break
	sleep 0.2
done
kill -TERM "$started" 2>/dev/null || true
wait "$started" 2>/dev/null || true
grep -qs "Agreement Sync starting" "$expected"/logs/* || {
	echo "the installed program did not start on $expected"
	exit 1
}
rm -rf "$home"

# Demo: Check Changes finds Green Lane, through the installed program's window.
(cd tests/e2e && E2E_APP_BINARY="$binary" npx vitest run specs/task-list.test.ts -t "Demo mode: Check Changes")

trap - EXIT
DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -qq "$package" >/dev/null
for f in "$binary" "$desktop"; do
	[ ! -e "$f" ] || { echo "apt remove left $f"; exit 1; }
done
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
	echo "$package is still installed"
	exit 1
fi
echo "The package installs, starts in Demo, finds Green Lane, and is removed cleanly."
