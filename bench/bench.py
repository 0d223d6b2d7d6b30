"""`make bench`: what kubesim's commands cost, measured side by side in one run.

Every round runs each command once, in turn, so machine noise hits all of them alike; the ratio to
`kubectl version --client` (the real kubectl's bare start), measured in the same rounds, is the
number that matters. Routing cost is measured in-process, with 10 and with 10,000 services; bulk
work (create, scale, list, delete) at growing sizes, with how it grows.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "21"))
SEPARATE_CALLS = int(os.environ.get("BENCH_SEPARATE_CALLS", "200"))
# Cluster sizes for the bulk measurements (BENCH_SCALE_SIZES=100,1000 for a quicker run).
SCALE_SIZES = [int(n) for n in os.environ.get("BENCH_SCALE_SIZES", "100,1000,10000").split(",") if n]
SCALE_ROUNDS = int(os.environ.get("BENCH_SCALE_ROUNDS", "3"))
BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent
MANIFESTS = REPO / "manifests"


def tool(name: str) -> str:
    candidate = BIN / name
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        sys.exit(f"bench: {name} is not installed (make bench installs it)")
    return found


KUBECTL, KUBESIM = tool("kubectl"), tool("kubesim")


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} failed: {done.stderr}")
    return elapsed


def output(argv: list[str], env: dict[str, str]) -> str:
    return subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout


def report(title: str, samples: dict[str, list[float]], anchor: float | None) -> None:
    print(f"\n{title}")
    for name, values in samples.items():
        median = statistics.median(values)
        ratio = f"{median / anchor:6.2f}x" if anchor else ""
        print(f"  {name:<48} {median * 1000:9.1f} ms {ratio}")


def command_costs(env: dict[str, str]) -> None:
    """Each command with the command server warm and with it off, next to the real kubectl's start."""
    runtime = tempfile.mkdtemp(prefix="kubesim-bench-run-")
    warm = dict(env, XDG_RUNTIME_DIR=runtime)
    off = dict(env, KUBESIM_SERVER="off")
    subprocess.run([KUBESIM, "server", "start"], env=warm, check=True, capture_output=True)
    try:
        _command_costs(warm, off)
    finally:
        subprocess.run([KUBESIM, "server", "stop"], env=warm, capture_output=True)
        shutil.rmtree(runtime, ignore_errors=True)


def _command_costs(warm: dict[str, str], off: dict[str, str]) -> None:
    for manifest in ("kubia-rc.yaml", "kubia-svc.yaml", "kubia-svc-nodeport.yaml"):
        subprocess.run([KUBESIM, "create", "-f", str(MANIFESTS / manifest)], env=off, check=True, capture_output=True)
    pod = output([KUBESIM, "get", "po", "-o", "jsonpath={.items[0].metadata.name}"], off)
    service_file = str(MANIFESTS / "kubia-svc-client-ip-session-affinity.yaml")

    def create_service(env: dict[str, str]) -> float:
        took = timed([KUBESIM, "create", "-f", service_file], env)
        subprocess.run([KUBESIM, "delete", "svc", "kubia-clientip"], env=env, capture_output=True, check=True)
        return took

    def ten(argv: list[str], env: dict[str, str]) -> float:
        return sum(timed(argv, env) for _ in range(10))

    curl = [KUBESIM, "exec", pod, "--", "curl", "-s", "http://kubia"]
    outside = [KUBESIM, "curl", "-s", "http://192.168.49.2:30123"]
    cases: dict[str, Callable[[], float]] = {
        "kubectl version --client (anchor)": lambda: timed([KUBECTL, "version", "--client"], off),
        "kubesim get pods, server warm": lambda: timed([KUBESIM, "get", "pods"], warm),
        "kubesim get pods, server off": lambda: timed([KUBESIM, "get", "pods"], off),
        "kubesim get svc -o json, server warm": lambda: timed([KUBESIM, "get", "svc", "-o", "json"], warm),
        "kubesim get svc -o json, server off": lambda: timed([KUBESIM, "get", "svc", "-o", "json"], off),
        "kubesim create -f (one Service), server warm": lambda: create_service(warm),
        "kubesim create -f (one Service), server off": lambda: create_service(off),
        "kubesim exec POD -- curl -s http://kubia, warm": lambda: timed(curl, warm),
        "kubesim exec POD -- curl -s http://kubia, off": lambda: timed(curl, off),
        "kubesim curl -s http://NODE_IP:30123, warm": lambda: timed(outside, warm),
        "kubesim curl -s http://NODE_IP:30123, off": lambda: timed(outside, off),
    }
    loops: dict[str, Callable[[], float]] = {
        "10 x kubectl version --client (anchor)": lambda: ten([KUBECTL, "version", "--client"], off),
        "10 x kubesim exec … curl (the seed's loop), warm": lambda: ten(curl, warm),
    }
    samples: dict[str, list[float]] = {name: [] for name in (*cases, *loops)}
    for _ in range(ROUNDS):
        for name, case in cases.items():
            samples[name].append(case())
    for _ in range(max(3, ROUNDS // 4)):
        for name, case in loops.items():
            samples[name].append(case())
    anchor = statistics.median(samples["kubectl version --client (anchor)"])
    report(f"Whole commands, median of {ROUNDS} interleaved rounds (ratio to the real kubectl's bare start):",
           {name: samples[name] for name in cases}, anchor)
    loop_anchor = statistics.median(samples["10 x kubectl version --client (anchor)"])
    report("Ten commands in a row (ratio to ten kubectl starts):", {name: samples[name] for name in loops},
           loop_anchor)
    _targets(samples, anchor, loop_anchor)
    _server_facts(warm)

    loop = "for i in $(seq 1 1000); do curl -s http://kubia; done | sort | uniq -c"
    in_pod = [timed([KUBESIM, "exec", pod, "--", "sh", "-c", loop], warm) for _ in range(3)]
    start = time.perf_counter()
    for _ in range(SEPARATE_CALLS):
        subprocess.run(curl, env=warm, capture_output=True, check=True)
    separate = (time.perf_counter() - start) * 1000 / SEPARATE_CALLS
    print("\n1,000 requests to http://kubia from one pod (server warm):")
    print(f"  {'one exec running the loop in the pod (median of 3)':<52} {statistics.median(in_pod) * 1000:9.1f} ms")
    print(f"  {f'separate kubesim exec … curl calls (x{SEPARATE_CALLS}, per 1,000)':<52} {separate * 1000:9.1f} ms")


def _targets(samples: dict[str, list[float]], anchor: float, loop_anchor: float) -> None:
    goals = [("kubesim get pods, server warm", anchor, 0.6), ("kubesim get pods, server off", anchor, 2.5),
             ("kubesim exec POD -- curl -s http://kubia, warm", anchor, 1.0),
             ("kubesim exec POD -- curl -s http://kubia, off", anchor, 3.0),
             ("10 x kubesim exec … curl (the seed's loop), warm", loop_anchor, 1.0)]
    print("\nTargets:")
    for name, base, goal in goals:
        ratio = statistics.median(samples[name]) / base
        print(f"  {name:<52} {ratio:5.2f}x  (goal <= {goal}x: {'met' if ratio <= goal else 'NOT met'})")


def _server_facts(warm: dict[str, str]) -> None:
    """The server's resident memory, and what the first command costs when no server runs yet."""
    status = output([KUBESIM, "server", "status"], warm)
    memory = next((line.split(":", 1)[1].strip() for line in status.splitlines() if line.startswith("Resident")), "?")
    firsts = []
    for _ in range(5):
        subprocess.run([KUBESIM, "server", "stop"], env=warm, capture_output=True, check=True)
        firsts.append(timed([KUBESIM, "get", "pods"], warm))
        deadline = time.monotonic() + 30
        while subprocess.run([KUBESIM, "server", "status"], env=warm, capture_output=True).returncode != 0:
            if time.monotonic() > deadline:
                sys.exit("bench: the server did not come back after a cold command")
            time.sleep(0.05)
    print("\nThe command server:")
    print(f"  {'resident memory':<52} {memory:>12}")
    print(f"  {'first command with no server (cold), median of 5':<52} {statistics.median(firsts) * 1000:9.1f} ms")


def routed_request_cost() -> None:
    """One routed request in-process (no interpreter start-up) with 10 and with 10,000 services."""
    from kubesim.cli.main import run as run_cli
    from kubesim.cluster import open_cluster
    from kubesim.env import Env

    results: dict[str, list[float]] = {}
    clusters = {}
    for count in (10, 10_000):
        home = tempfile.mkdtemp(prefix=f"kubesim-bench-{count}-")
        env = Env(home=home, stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO(), seed=3)
        run_cli(["create", "-f", str(MANIFESTS / "kubia-rc.yaml")], env)
        run_cli(["create", "-f", str(MANIFESTS / "kubia-svc.yaml")], env)
        cluster = open_cluster(env)
        with cluster.api(write=True) as api:
            for index in range(count - 1):
                api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"filler-{index}"},
                            "spec": {"ports": [{"port": 80 + index % 1000}]}})
        cluster.close()
        out = io.StringIO()
        probe = Env(home=home, stdin=io.StringIO(), stdout=out, stderr=io.StringIO(), seed=3)
        run_cli(["get", "po", "-o", "jsonpath={.items[0].metadata.name}"], probe)
        pod = out.getvalue()
        out = io.StringIO()
        probe = Env(home=home, stdin=io.StringIO(), stdout=out, stderr=io.StringIO(), seed=3)
        run_cli(["get", "svc", "kubia", "-o", "jsonpath={.spec.clusterIP}"], probe)
        clusters[count] = (home, pod, out.getvalue())
        results[f"exec curl http://CLUSTER_IP, {count:,} services"] = []
    for _ in range(ROUNDS * 3):
        for count, (home, pod, ip) in clusters.items():
            env = Env(home=home, stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO(), seed=3)
            start = time.perf_counter()
            code = run_cli(["exec", pod, "--", "curl", "-s", f"http://{ip}"], env)
            results[f"exec curl http://CLUSTER_IP, {count:,} services"].append(time.perf_counter() - start)
            assert code == 0, env.stderr.getvalue()
    names = list(results)
    report(f"One routed request in-process, median of {ROUNDS * 3}:", results, None)
    ratio = statistics.median(results[names[1]]) / statistics.median(results[names[0]])
    print(f"  ratio 10,000 services / 10 services: {ratio:.2f}x")
    for home, _, _ in clusters.values():
        shutil.rmtree(home, ignore_errors=True)


def _services_file(path: Path, count: int) -> Path:
    path.write_text("".join(
        f"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  selector:\n"
        f"    app: s{i}\n  ports:\n  - port: 80\n" for i in range(count)))
    return path


def _cluster_for(pods: int, env: dict[str, str]) -> None:
    """A fresh cluster with room for ``pods`` (110 a node, some left for kube-system; 100 nodes at most)."""
    nodes = str(min(100, max(1, -(-(pods + 10) // 100))))
    subprocess.run([KUBESIM, "cluster", "reset", "--nodes", nodes], env=env, check=True, capture_output=True)


def timed_with_peak_memory(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and the peak resident set (MiB) of one command, from the kernel's account of the child."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} failed")
    return elapsed, usage.ru_maxrss / 1024


def bulk_costs() -> None:
    """Bulk work at growing sizes, with the server off (each is one long command): creating N services
    from one file; scaling an RC to N pods, listing them, deleting them all (the RC recreates them)
    and scaling to 0 (it does not); then one exec curl among N pods and N/5 services against 10 pods."""
    rows: dict[str, dict[int, float]] = {}
    memory: dict[int, list[float]] = {}
    for size in SCALE_SIZES:
        samples: dict[str, list[float]] = {}
        for _ in range(SCALE_ROUNDS):
            home = tempfile.mkdtemp(prefix=f"kubesim-bench-bulk-{size}-")
            env = dict(os.environ, KUBESIM_HOME=home, KUBESIM_SEED="7", KUBESIM_SERVER="off")
            try:
                services = _services_file(Path(home) / "services.yaml", size)
                _cluster_for(0, env)
                samples.setdefault(f"create -f of {size:,} services (one file)", []).append(
                    timed([KUBESIM, "create", "-f", str(services)], env))
                _cluster_for(size, env)
                subprocess.run([KUBESIM, "create", "-f", str(MANIFESTS / "kubia-rc.yaml")], env=env, check=True,
                               capture_output=True)
                samples.setdefault(f"scale rc kubia --replicas={size:,}", []).append(
                    timed([KUBESIM, "scale", "rc", "kubia", f"--replicas={size}"], env))
                seconds, peak = timed_with_peak_memory([KUBESIM, "get", "po"], env)
                samples.setdefault(f"get po with {size:,} pods", []).append(seconds)
                memory.setdefault(size, []).append(peak)
                samples.setdefault(f"delete po --all under the RC ({size:,} pods, recreated)", []).append(
                    timed([KUBESIM, "delete", "po", "--all"], env))
                samples.setdefault(f"scale rc kubia --replicas=0 (from {size:,})", []).append(
                    timed([KUBESIM, "scale", "rc", "kubia", "--replicas=0"], env))
            finally:
                shutil.rmtree(home, ignore_errors=True)
        for name, values in samples.items():
            rows.setdefault(name.replace(f"{size:,}", "N"), {})[size] = statistics.median(values)
    print(f"\nBulk work, server off, median of {SCALE_ROUNDS} (growth = time at 10x the size / time):")
    for name, by_size in rows.items():
        cells = "  ".join(f"{size:>6,}: {seconds * 1000:8.0f} ms" for size, seconds in by_size.items())
        sizes = sorted(by_size)
        growth = "  ".join(f"{by_size[b] / by_size[a]:5.1f}x"
                           for a, b in zip(sizes, sizes[1:], strict=False) if b == 10 * a)
        print(f"  {name:<52} {cells}  {growth}")
    cells = "  ".join(f"{size:>6,}: {statistics.median(peaks):6.1f} MiB" for size, peaks in memory.items())
    print(f"  {'peak memory of get po, N pods':<52} {cells}")
    exec_among_many(max(SCALE_SIZES))


def exec_among_many(pods: int) -> None:
    """exec curl http://kubia in a cluster of ``pods`` pods and pods/5 services, against one of 10 pods."""
    sizes = {"10 pods, 1 service": (10, 0), f"{pods:,} pods, {pods // 5 + 1:,} services": (pods, pods // 5)}
    clusters = {}
    for name, (count, services) in sizes.items():
        home = tempfile.mkdtemp(prefix="kubesim-bench-exec-")
        env = dict(os.environ, KUBESIM_HOME=home, KUBESIM_SEED="7", KUBESIM_SERVER="off")
        _cluster_for(count, env)
        if services:
            subprocess.run([KUBESIM, "create", "-f", str(_services_file(Path(home) / "s.yaml", services))],
                           env=env, check=True, capture_output=True)
        for manifest in ("kubia-rc.yaml", "kubia-svc.yaml"):
            subprocess.run([KUBESIM, "create", "-f", str(MANIFESTS / manifest)], env=env, check=True,
                           capture_output=True)
        subprocess.run([KUBESIM, "scale", "rc", "kubia", f"--replicas={count}"], env=env, check=True,
                       capture_output=True)
        pod = output([KUBESIM, "get", "po", "-o", "name"], env).split()[0].removeprefix("pod/")
        clusters[name] = (home, env, [KUBESIM, "exec", pod, "--", "curl", "-s", "http://kubia"])
    samples: dict[str, list[float]] = {name: [] for name in clusters}
    for _ in range(ROUNDS):
        for name, (_, env, argv) in clusters.items():
            samples[name].append(timed(argv, env))
    report(f"exec -- curl http://kubia, server off, median of {ROUNDS}:", samples, None)
    small, large = (statistics.median(values) for values in samples.values())
    print(f"  ratio {list(samples)[1]} / 10 pods: {large / small:.2f}x")
    for home, _, _ in clusters.values():
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    home = tempfile.mkdtemp(prefix="kubesim-bench-")
    env = dict(os.environ, KUBESIM_HOME=home, KUBESIM_SEED="7")
    try:
        command_costs(env)
        routed_request_cost()
        bulk_costs()
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
