#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh Debian machine (a sans font for the
# plots, redis-server and Azurite for the blob-store and cluster tests, chromium for the browser tests), then runs
#   dotnet test LearnedActivation.sln [extra dotnet test arguments]
# The tests start their own Redis and Azurite processes on free loopback ports and stop them; nothing
# needs to be running beforehand. Installing needs root (apt-get, npm -g); already installed tools are kept.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The real data sets live beside the clone (../shared/data); tests also find them by walking up. A clone made
# elsewhere (git clone . /tmp/fresh) has none beside it: then the data beside the repository it was cloned from.
if [ -z "${LEARNACT_SHARED_DATA:-}" ]; then
  origin=$(git config --get remote.origin.url 2>/dev/null || true)
  origin=${origin#file://}
  for candidate in ../shared/data "${origin:+$origin/../shared/data}"; do
    if [ -n "$candidate" ] && [ -d "$candidate" ]; then
      export LEARNACT_SHARED_DATA="$(cd "$candidate" && pwd)"
      break
    fi
  done
  [ -n "${LEARNACT_SHARED_DATA:-}" ] || echo "warning: no shared/data beside this clone or its origin; the data tests may fail (they look in the folders above the clone, or LEARNACT_SHARED_DATA)"
fi

apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { apt-get update -qq && apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Plots need a sans font (SkiaSharp falls back to nothing useful without one).
fc-list 2>/dev/null | grep -qi "DejaVu Sans" || apt_install fonts-dejavu-core fontconfig
command -v redis-server >/dev/null 2>&1 || apt_install redis-server
# The browser tests drive Debian's chromium through Playwright (which downloads no browser of its own).
[ -x /usr/bin/chromium ] || apt_install chromium
# Azurite 3.35 is the last that runs on Node 20 (3.36+ needs Node 21+).
if ! command -v azurite-blob >/dev/null 2>&1; then
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  npm install -g --silent --no-audit --no-fund azurite@3.35.0 >/dev/null
fi
# Debian starts the packaged redis-server as a service where it can; the tests do not use it.
if command -v service >/dev/null 2>&1 && service redis-server status >/dev/null 2>&1; then
  service redis-server stop >/dev/null 2>&1 || true
fi

# The fixtures stop what they start; should a test host crash, nothing it started may outlive this script:
# its silos run from this clone's test output, its servers keep data in la-redis-*/la-azurite-* folders.
cleanup() {
  pkill -KILL -f "$(pwd)/tests/.*/learnact-silo.dll" 2>/dev/null || true
  pkill -KILL -f -- "--dir /tmp/la-redis-" 2>/dev/null || true
  pkill -KILL -f -- "--location /tmp/la-azurite-" 2>/dev/null || true
}
trap cleanup EXIT

dotnet test LearnedActivation.sln "$@"
