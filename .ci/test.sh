#!/usr/bin/env bash
# The test command: tap (with its coverage gate) piped through the summary that prints "N passed, M failed".
set -o pipefail
cd "$(dirname "$0")/.."
npx tap -R tap "$@" | node .ci/tap-summary.mjs
