#!/usr/bin/env bash
# Installs what the tests drive besides Python packages. Idempotent; run by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
command -v newsboat >/dev/null || need+=(newsboat)
command -v npm >/dev/null || need+=(npm)
command -v curl >/dev/null || need+=(curl)
fonts_ja=$(fc-list :lang=ja 2>/dev/null | head -n1 || true)
[ -n "$fonts_ja" ] || need+=(fonts-noto-cjk)

if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# axe-core (accessibility) and vnu-jar (Nu HTML checker), pinned in package.json.
npm install --no-audit --no-fund --silent
