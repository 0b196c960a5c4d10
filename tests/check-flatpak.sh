#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: check-flatpak.sh SOURCE_ROOT APP_ID
# What can be checked of the Flatpak manifest without Flathub: it parses,
# flatpak-builder reads it, the app ID is the project's, the sandbox holes
# are exactly the ones the README lists, and nothing but the runtime comes
# from the network.
set -eu
src=$1 app_id=$2
manifest="$src/flatpak/$app_id.json"
fail=0

/usr/bin/python3 - "$manifest" "$app_id" "$src/README.md" <<'PY' || fail=1
import json, re, sys
manifest, app_id, readme = sys.argv[1:]
m = json.load(open(manifest))
ok = True
def check(cond, what):
    global ok
    print(("ok: " if cond else "not ok: ") + what)
    ok &= cond
expected = ["--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri"]
check(m["id"] == app_id, "app id is " + app_id)
check(m["runtime"] == "org.gnome.Platform" and m["sdk"] == "org.gnome.Sdk", "GNOME runtime and SDK")
check(sorted(m["finish-args"]) == sorted(expected), "finish-args are exactly " + " ".join(expected))
check(not any(a.startswith(("--talk-name", "--filesystem", "--socket=session-bus", "--socket=system-bus")) for a in m["finish-args"]),
      "no D-Bus names or filesystem access (secrets go through the portal)")
text = open(readme).read()
check(all(a in text for a in expected), "README lists every finish-arg")
sources = [s for mod in m["modules"] for s in mod.get("sources", [])]
check(all(s["type"] == "dir" for s in sources), "every source is a local directory: no download")
app = m["modules"][-1]
check(app.get("run-tests") is True, "the app module runs its tests")
# They run as .ci/offline runs them: no network, display or D-Bus session.
build_args = app.get("build-options", {}).get("build-args", []) + m.get("build-options", {}).get("build-args", [])
check(not any(a.startswith(("--share=network", "--socket", "--talk-name")) for a in build_args),
      "the build and its tests get no network, display or D-Bus (as .ci/offline tests)")
check(app.get("buildsystem") == "meson" and app.get("builddir") is True, "meson, built out of the source tree")
check(m["command"] == "ozon-image-push", "command is the GUI")
sys.exit(0 if ok else 1)
PY

if command -v flatpak-builder >/dev/null 2>&1; then
  # It makes its state directory (.flatpak-builder) where it runs.
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  absolute=$(realpath "$manifest")
  if (cd "$scratch" && flatpak-builder --show-manifest "$absolute" >/dev/null); then
    echo "ok: flatpak-builder --show-manifest reads it"
  else
    echo "not ok: flatpak-builder --show-manifest fails"; fail=1
  fi
else
  echo "ok: flatpak-builder not installed, --show-manifest not run # SKIP"
fi
exit $fail
