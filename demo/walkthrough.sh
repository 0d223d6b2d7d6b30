#!/usr/bin/env bash
# The walkthrough `make demo` runs: a fresh cluster in a temporary KUBESIM_HOME, the commands a
# reader of "Kubernetes in Action" types, and what kubesim answers.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export KUBESIM_HOME="$(mktemp -d)"
trap 'rm -rf "$KUBESIM_HOME"' EXIT
cd "$here/manifests"

step() { printf '\n$ %s\n' "$*"; "$@"; }

step kubesim cluster info
step kubesim get nodes
step kubesim create -f kubia-svc.yaml
step kubesim get svc
step kubesim get svc kubia -o wide
step kubesim get svc kubia -o yaml
step kubesim get svc kubia -o jsonpath='{.spec.clusterIP}{"\n"}'
step kubesim get svc -o custom-columns=NAME:.metadata.name,IP:.spec.clusterIP,PORTS:.spec.ports[*].port
step kubesim get svc -o name
step kubesim apply -f kubia-svc.yaml
step kubesim label svc kubia tier=web
step kubesim get svc --show-labels
step kubesim describe svc kubia
step kubesim clock advance 2m29s
step kubesim get svc kubia
step kubesim delete svc kubia
printf '\n$ kubesim get svc kubia\n'
kubesim get svc kubia || echo "(exit code $?)"
