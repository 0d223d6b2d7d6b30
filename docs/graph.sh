#!/usr/bin/env bash
# Draws docs/graph.svg (or the file given) with kubesim itself: the book's kubia set-up, an ingress,
# and one broken service, on a fresh seeded cluster. `make graph` runs it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/graph.svg}"
KUBESIM_HOME="$(mktemp -d)"
trap 'rm -rf "$KUBESIM_HOME"' EXIT
export KUBESIM_HOME KUBESIM_SEED=42 KUBESIM_SERVER=off KUBESIM_WALL_CLOCK=2024-07-01T10:00:00+00:00
cd "$here/../manifests"
kubesim create -f kubia-rc.yaml -f kubia-svc.yaml -f kubia-svc-nodeport.yaml -f kubia-ingress.yaml >/dev/null
kubesim create -f ../tests/diagnose/broken/headless-no-pods.yaml >/dev/null
kubesim graph -o svg > "$out"
