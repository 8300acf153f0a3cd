#!/usr/bin/env bash
# Installs the Debian packages kiosque needs to build, run and test (idempotent).
# Usage: tools/install-deps.sh [--bench]   (--bench adds the benchmark anchors)
set -euo pipefail

build_pkgs=(cmake pkg-config gcc make libglib2.0-dev libpango1.0-dev libharfbuzz-dev
  libcairo2-dev   libzip-dev libxml2-dev libcmark-dev libyaml-dev libjson-glib-dev libhyphen-dev
  hyphen-fr hyphen-en-us libgdk-pixbuf-2.0-dev webp-pixbuf-loader librsvg2-dev
  libcurl4-openssl-dev
  fonts-linuxlibertine fonts-dejavu-core)
test_pkgs=(libcmocka-dev epubcheck default-jre-headless qpdf poppler-utils mupdf-tools
  clang libclang-rt-14-dev util-linux python3 man-db groff-base
  chromium bash-completion passwd libjpeg-turbo-progs tzdata pandoc)
bench_pkgs=(weasyprint texlive-xetex texlive-lang-french lmodern texlive-fonts-recommended
  hyperfine time)

# Node.js and npm (the OPDS client test): Debian's packages only where the machine has none
# of its own (a newer Node.js installed outside apt makes Debian's npm uninstallable)
command -v node >/dev/null || test_pkgs+=(nodejs)
command -v npm >/dev/null || test_pkgs+=(npm)
pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}")
[ "${1:-}" = "--bench" ] && pkgs+=("${bench_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# the OPDS client library the library test reads the catalog with (npm, its own folder)
npm_client() {
  local client
  client="$(cd "$(dirname "$0")/.." && pwd)/tests/opds-client"
  if command -v npm >/dev/null && [ ! -d "$client/node_modules/opds-feed-parser" ]; then
    (cd "$client" && npm ci --no-audit --no-fund) || echo "install-deps: npm ci failed in $client"
  fi
}
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages already installed"
  npm_client
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
npm_client
