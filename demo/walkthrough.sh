#!/usr/bin/env bash
# `make demo`: each part of the walkthrough on a fresh cluster in a temporary KUBESIM_HOME,
# typed as a reader of "Kubernetes in Action" types it, with what kubesim answers.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../manifests"
for part in basics section-5.1 section-5.1.2 section-5.2-5.3 section-5.4 section-5.5-5.6 section-5.7 changing-objects; do
    KUBESIM_HOME="$(mktemp -d)"
    export KUBESIM_HOME
    printf '\n===== %s (fresh cluster in %s) =====\n\n' "$part" "$KUBESIM_HOME"
    bash "$here/$part.sh"
    rm -rf "$KUBESIM_HOME"
done
