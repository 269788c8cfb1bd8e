#!/usr/bin/env bash
# Installs the dependencies and builds (`npm ci`) on any machine, with or without access to Google
# storage, where @tensorflow/tfjs-node's install script downloads libtensorflow:
#
#   npm run setup                  # the README's Quick start, .ci/run and the Dockerfile all run this
#   scripts/install.sh [ARGS...]   # the same; ARGS go to npm ci
#
# - TFJS_NODE_BASE_URI set: tfjs-node downloads libtensorflow from there (e.g. a mirror).
# - storage.googleapis.com reachable: plain `npm ci`.
# - otherwise: scripts/offline-libtensorflow.sh builds the library from the tensorflow-cpu wheel of
#   your Python package index (pip; cached in ~/.cache/lstm-bot) and serves it to `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[install] %s\n' "$*" >&2; }

if [[ -n "${TFJS_NODE_BASE_URI:-}" ]]; then
  log "libtensorflow from TFJS_NODE_BASE_URI=$TFJS_NODE_BASE_URI"
  exec npm ci "$@"
fi
if timeout 5 bash -c '</dev/tcp/storage.googleapis.com/443' 2>/dev/null; then
  exec npm ci "$@"
fi
log "tfjs-node's download host (storage.googleapis.com) is unreachable: installing with a libtensorflow built from the tensorflow-cpu wheel"
exec scripts/offline-libtensorflow.sh npm ci "$@"
