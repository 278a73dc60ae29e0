#!/usr/bin/env bash
# One command for the demo on a fresh Debian machine: installs what is missing (Debian packages the
# demo and the tests use, npm packages), builds, then runs `roomwatch demo` (influxd + simulated
# room + daemon) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
missing=()
command -v influxd >/dev/null || missing+=(influxdb)
command -v snmpget >/dev/null || missing+=(snmp)
command -v snmpsimd >/dev/null || missing+=(snmpsim)
# Not needed by the demo itself, but by `npm test`, the quick start's second command.
[ -x /usr/sbin/snmpd ] || missing+=(snmpd)
command -v openssl >/dev/null || missing+=(openssl)
command -v mbpoll >/dev/null || missing+=(mbpoll)
command -v socat >/dev/null || missing+=(socat)
# `npm run test:chaos` steps the daemon's wall clock with libfaketime.
command -v faketime >/dev/null || missing+=(faketime)
# The tests render the inspection report in Debian's chromium (playwright-core downloads nothing).
[ -x /usr/bin/chromium ] || missing+=(chromium)
# A Chinese font, or chromium draws the report's Chinese as boxes.
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-zenhei)
# The metrics test has Debian's Prometheus scrape /metrics and promtool check it.
command -v promtool >/dev/null || missing+=(prometheus)
/usr/bin/python3 -c 'import pymodbus.server, serial' 2>/dev/null || missing+=(python3-pymodbus python3-serial python3-serial-asyncio)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v node >/dev/null || { echo "Node.js 20 or newer is needed (apt-get install nodejs npm)" >&2; exit 1; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
exec node bin/roomwatch.js demo "$@"
