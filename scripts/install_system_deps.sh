#!/usr/bin/env bash
# System packages the tests use (Debian's): tesseract for OCR of scanned PDFs; chromium and its
# chromedriver for the browser tests of the built site (tests/test_site_browser.py) and
# scripts/bench_site.py; a Chinese font, so the browser's screenshots show characters, not boxes.
# Installs only what is missing, so a second run costs nothing.
set -euo pipefail
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-chi-sim)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
