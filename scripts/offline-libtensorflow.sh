#!/usr/bin/env bash
# Builds the libtensorflow archive that @tensorflow/tfjs-node's install script downloads, from the
# tensorflow-cpu wheel on a Python package index, and serves it on 127.0.0.1, for machines that
# cannot reach tfjs-node's download host.
#
#   scripts/offline-libtensorflow.sh build          # writes the archive into the cache, prints its path
#   scripts/offline-libtensorflow.sh npm ci         # build (cached), serve, run "npm ci" against it
#   scripts/offline-libtensorflow.sh npm install    # likewise for any npm command
#   scripts/offline-libtensorflow.sh run CMD...     # any command, with TFJS_NODE_BASE_URI set, e.g.
#     scripts/offline-libtensorflow.sh run docker build --network host --build-arg TFJS_NODE_BASE_URI .
#
# Cache: $LSTM_BOT_CACHE (default ~/.cache/lstm-bot). A second run reuses the archive.
set -euo pipefail

TF_WHEEL_VERSION="${TF_WHEEL_VERSION:-2.21.0}"
# tfjs-node 4.22 asks for libtensorflow 2.9.1 by name; the wheel's C API is ABI compatible.
TFJS_LIBTF_VERSION="2.9.1"
CACHE="${LSTM_BOT_CACHE:-$HOME/.cache/lstm-bot}"
# tfjs-node asks for a .tar.gz; its unpacker (node-tar) also takes an uncompressed tar, which is
# much faster to write than to gzip 850 MB.
ARCHIVE_NAME="libtensorflow-cpu-linux-x86_64-${TFJS_LIBTF_VERSION}.tar.gz"
ARCHIVE="$CACHE/tf-${TF_WHEEL_VERSION}/$ARCHIVE_NAME"

log() { printf '[offline-libtensorflow] %s\n' "$*" >&2; }

build_archive() {
  if [[ -s "$ARCHIVE" ]]; then
    log "cached archive: $ARCHIVE"
    return
  fi
  [[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] || { log "only linux x86_64 is supported"; exit 1; }
  local wheel_dir="$CACHE/wheel"
  mkdir -p "$wheel_dir"
  if ! ls "$wheel_dir"/tensorflow_cpu-"$TF_WHEEL_VERSION"-*.whl >/dev/null 2>&1; then
    log "downloading tensorflow-cpu==$TF_WHEEL_VERSION (about 270 MB) with pip"
    python3 -m pip download "tensorflow-cpu==$TF_WHEEL_VERSION" --no-deps -d "$wheel_dir" >&2
  fi
  local wheel
  wheel=$(ls "$wheel_dir"/tensorflow_cpu-"$TF_WHEEL_VERSION"-*.whl | head -n 1)
  local work
  work=$(mktemp -d "$CACHE/build.XXXXXX")
  trap 'rm -rf "$work"' RETURN
  log "unpacking $(basename "$wheel")"
  python3 - "$wheel" "$work" <<'PY'
import sys, zipfile, os, shutil
wheel, out = sys.argv[1], sys.argv[2]
wanted_libs = {"tensorflow/libtensorflow_cc.so.2": "lib/libtensorflow.so.2.9.1",
               "tensorflow/libtensorflow_framework.so.2": "lib/libtensorflow_framework.so.2.9.1"}
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name in wanted_libs:
            target = os.path.join(out, wanted_libs[name])
        elif name.startswith(("tensorflow/include/tensorflow/", "tensorflow/include/tsl/", "tensorflow/include/xla/")) and not name.endswith("/"):
            target = os.path.join(out, "include", name[len("tensorflow/include/"):])
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(info) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
PY
  (
    cd "$work/lib"
    ln -s libtensorflow.so.2.9.1 libtensorflow.so.2
    ln -s libtensorflow.so.2.9.1 libtensorflow.so
    ln -s libtensorflow.so.2.9.1 libtensorflow_cc.so.2
    ln -s libtensorflow_framework.so.2.9.1 libtensorflow_framework.so.2
    ln -s libtensorflow_framework.so.2.9.1 libtensorflow_framework.so
  )
  mkdir -p "$(dirname "$ARCHIVE")"
  log "writing $ARCHIVE"
  tar -C "$work" -cf "$ARCHIVE.part" lib include
  mv "$ARCHIVE.part" "$ARCHIVE"
}

# Serves the archive folder on a free loopback port; sets SERVER_PID and BASE_URI.
serve_archive() {
  local dir port_file
  dir=$(dirname "$ARCHIVE")
  port_file=$(mktemp)
  python3 - "$dir" "$port_file" <<'PY' &
import functools, http.server, sys
directory, port_file = sys.argv[1], sys.argv[2]
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
handler = functools.partial(Quiet, directory=directory)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
PY
  SERVER_PID=$!
  for _ in $(seq 1 50); do
    [[ -s "$port_file" ]] && break
    sleep 0.1
  done
  [[ -s "$port_file" ]] || { log "archive server did not start"; exit 1; }
  BASE_URI="http://127.0.0.1:$(cat "$port_file")/libtensorflow-"
  rm -f "$port_file"
  log "serving $dir at $BASE_URI"
}

case "${1:-}" in
  build)
    build_archive
    echo "$ARCHIVE"
    ;;
  npm | run)
    [[ "$1" == run ]] && shift
    build_archive
    serve_archive
    trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
    TFJS_NODE_BASE_URI="$BASE_URI" "$@"
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
