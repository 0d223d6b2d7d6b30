"""`make bench`: median wall times of kubesim commands next to the real kubectl's bare start.

Every round runs each command once, in turn, so machine noise hits all of them alike; the ratio to
`kubectl version --client`, measured in the same rounds, is the number that matters.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "25"))
BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent


def tool(name: str) -> str:
    candidate = BIN / name
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        sys.exit(f"bench: {name} is not installed (make bench installs it)")
    return found


def timed(argv: list[str], env: dict[str, str], stdin: str | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, input=stdin, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} failed: {done.stderr}")
    return elapsed


def main() -> None:
    kubectl, kubesim = tool("kubectl"), tool("kubesim")
    home = tempfile.mkdtemp(prefix="kubesim-bench-")
    env = dict(os.environ, KUBESIM_HOME=home, KUBESIM_SEED="7")
    manifest = str(REPO / "manifests" / "kubia-svc.yaml")
    subprocess.run([kubesim, "get", "pods"], env=env, capture_output=True, check=True)

    def create_service() -> float:
        took = timed([kubesim, "create", "-f", manifest], env)
        subprocess.run([kubesim, "delete", "svc", "kubia"], env=env, capture_output=True, check=True)
        return took

    cases: dict[str, Callable[[], float]] = {
        "kubectl version --client (anchor)": lambda: timed([kubectl, "version", "--client"], env),
        "kubesim get pods": lambda: timed([kubesim, "get", "pods"], env),
        "kubesim get svc -o json": lambda: timed([kubesim, "get", "svc", "-o", "json"], env),
        "kubesim create -f kubia-svc.yaml": create_service,
    }
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(ROUNDS):
        for name, case in cases.items():
            samples[name].append(case())
    anchor = statistics.median(samples["kubectl version --client (anchor)"])
    print(f"{'command':<40} {'median':>9} {'ratio':>7}   ({ROUNDS} rounds, interleaved)")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:<40} {median * 1000:7.1f}ms {median / anchor:6.2f}x")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
