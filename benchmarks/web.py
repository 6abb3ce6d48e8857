"""Web benchmark: the overview page and the observations API against a static file of the same
bytes, served by the same ``czt serve`` process, with concurrent clients, in one run.

    .venv/bin/python benchmarks/web.py                        # 20 clients, 10 s per URL
    .venv/bin/python benchmarks/web.py --requests 2000        # a fixed count per URL instead
    .venv/bin/python benchmarks/web.py --workers 2 --threads 4 --clients 20 --json
    .venv/bin/python benchmarks/web.py --profile              # cProfile in-process, no server

Steps: a temporary ``CZT_HOME`` gets ``czt init`` (SQLite, shipped data, collectstatic); the API
response for one indicator (all regions and years) is rendered in-process with Django's test
client and written to ``$CZT_HOME/static/bench/observations.json`` *before* the server starts
(WhiteNoise indexes ``STATIC_ROOT`` at start-up); then ``czt serve --bind 127.0.0.1:PORT`` runs
as a subprocess, the API and the static file are fetched once and checked to be the same bytes,
and each URL is warmed up and measured with ``--clients`` closed-loop clients (threads, one
persistent HTTP/1.1 connection each). Latency is per request, from sending it to having read the
whole body. Any non-200 status, wrong body length or connection error counts as an error.

Both the server and this load generator run on the same machine and share its cores: the
figures include that contention (the client's and the server's CPU time are reported).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import http.client
import io
import json
import os
import pstats
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
API = "/api/observations?indicator=gdp&page_size=10000"
STATIC = "/static/bench/observations.json"
STATIC_FILE = Path("bench") / "observations.json"
TARGETS = [("overview /", "/"), ("API observations", API), ("static same bytes", STATIC)]
GOAL_P95_MS = 100.0
GOAL_RATIO = 5.0
CLK = os.sysconf("SC_CLK_TCK")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not sorted_values:
        return float("nan")
    pos = (len(sorted_values) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def machine_busy_seconds() -> float:
    """User + system CPU time all processes on the machine have used so far (/proc/stat;
    interrupt time, e.g. the loopback network's, is not attributed to processes: left out)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(ticks[:3]) / CLK  # user, nice, system


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def czt_exe() -> str:
    here = Path(sys.executable).parent / "czt"
    if here.exists():
        return str(here)
    return str(ROOT / ".venv" / "bin" / "czt")


def environment(home: Path) -> dict:
    env = {**os.environ, "CZT_HOME": str(home),
           "CZT_DATABASE_URL": f"sqlite:///{home / 'czt.sqlite3'}",
           "CZT_DEBUG": "0", "CZT_ALLOWED_HOSTS": "127.0.0.1,localhost",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                       os.environ.get("PYTHONPATH")]))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


# --- children (run with CZT_HOME set) --------------------------------------------------


def child_dump(out: str, host: str) -> None:
    """Render the API response in-process, as the server will for ``Host: host``."""
    import czt

    czt.setup()
    from django.test import Client

    resp = Client().get(API, HTTP_HOST=host)
    if resp.status_code != 200:
        raise SystemExit(f"{API} answered {resp.status_code} in-process")
    Path(out).write_bytes(resp.content)


def child_profile(repeat: int, host: str) -> None:
    """cProfile of the two Django views through the test client (no server, no network)."""
    import czt

    czt.setup()
    from django.test import Client

    client = Client()
    for path, n in ((API, repeat), ("/", max(1, repeat // 10))):
        for _ in range(3):  # warm: imports, caches, first queries
            client.get(path, HTTP_HOST=host)
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        for _ in range(n):
            resp = client.get(path, HTTP_HOST=host)
        prof.disable()
        ms = (time.perf_counter() - t0) / n * 1000
        print(f"\n=== {path}: {n} requests in-process, {ms:.1f} ms each under cProfile "
              f"(status {resp.status_code}, {len(resp.content):,} bytes) ===")
        for key in ("cumulative", "tottime"):
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats(key).print_stats(22)
            text = buf.getvalue()
            print(f"--- by {key} ---")
            print(text[text.find("   ncalls"):].rstrip())


# --- server ------------------------------------------------------------------------------


class Server:
    """``czt serve`` (or, with ``--server gunicorn``/fallback, the same gunicorn set-up)."""

    def __init__(self, home: Path, port: int, args: argparse.Namespace):
        self.home, self.port, self.args = home, port, args
        self.proc: subprocess.Popen | None = None
        self.command = ""
        self.log = home / "server.log"

    def argv(self, kind: str) -> list[str]:
        bind = f"127.0.0.1:{self.port}"
        w, t = str(self.args.workers), str(self.args.threads)
        if kind == "czt":
            return [czt_exe(), "serve", "--bind", bind, "--workers", w, "--threads", t]
        # the configuration czt.commands.web.serve gives gunicorn
        return [sys.executable, "-m", "gunicorn", "czt.web.wsgi:application", "--bind", bind,
                "--workers", w, "--threads", t, "--worker-class", "gthread",
                "--timeout", "120", "--no-control-socket"]

    def start(self) -> None:
        kinds = {"auto": ["czt", "gunicorn"], "czt": ["czt"], "gunicorn": ["gunicorn"]}
        for kind in kinds[self.args.server]:
            argv = self.argv(kind)
            if self._try(argv):
                self.command = " ".join(Path(a).name if i == 0 else a
                                        for i, a in enumerate(argv))
                return
            lines = self.log.read_text(errors="replace").strip().splitlines()
            why = list(dict.fromkeys(ln for ln in lines if not ln.startswith(("[", " "))
                                     and ("Error" in ln or "Exception" in ln)))[-2:]
            log(f"!! `{Path(argv[0]).name} {argv[1]}` did not start "
                f"(log {self.log}):\n   " + "\n   ".join(why + lines[-1:]))
        raise SystemExit("no server could be started")

    def _try(self, argv: list[str]) -> bool:
        self.stop()
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(argv, env=environment(self.home), cwd=self.home,
                                         stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _ = fetch(self.port, STATIC)
                if status == 200:
                    return True
            time.sleep(0.2)
        return False

    def cpu_seconds(self) -> float:
        """user+system CPU of the server process and its workers (Linux /proc)."""
        if self.proc is None:
            return 0.0
        total, todo = 0.0, [self.proc.pid]
        while todo:
            pid = todo.pop()
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / CLK
            for task in Path(f"/proc/{pid}/task").glob("*"):
                with contextlib.suppress(OSError):
                    todo += [int(c) for c in (task / "children").read_text().split()]
        return total

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = None
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)  # the session we started: server+workers
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None


def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


# --- load --------------------------------------------------------------------------------


def load(port: int, path: str, clients: int, duration: float | None, requests: int | None,
         expect_len: int | None) -> dict:
    """Closed loop: each client sends its next request as soon as the last body is read."""
    lock = threading.Lock()
    issued = [0]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    samples: list[str] = []
    ends = [0.0] * clients
    barrier = threading.Barrier(clients + 1)
    start = [0.0]

    def take() -> bool:
        if requests is not None:
            with lock:
                if issued[0] >= requests:
                    return False
                issued[0] += 1
                return True
        return time.perf_counter() < start[0] + duration

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        with contextlib.suppress(OSError):
            conn.connect()
        mine = latencies[i]
        barrier.wait()
        try:
            while take():
                t0 = time.perf_counter()
                try:
                    conn.request("GET", path)
                    resp = conn.getresponse()
                    body = resp.read()
                    t1 = time.perf_counter()
                    bad = resp.status != 200 or (expect_len is not None
                                                 and len(body) != expect_len)
                    if resp.will_close:
                        conn.close()
                except (OSError, http.client.HTTPException) as exc:
                    t1, bad = time.perf_counter(), True
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                    resp = exc
                if bad:
                    errors[i] += 1
                    if len(samples) < 3:
                        samples.append(str(getattr(resp, "status", resp)))
                else:
                    mine.append(t1 - t0)
        finally:
            ends[i] = time.perf_counter()
            conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    cpu0 = os.times()
    start[0] = time.perf_counter()
    barrier.wait()
    for t in threads:
        while t.is_alive():  # a timed join lets Ctrl+C / SIGTERM reach the main thread
            t.join(0.2)
    cpu1 = os.times()
    elapsed = max(ends) - start[0]
    lat = sorted(x * 1000 for xs in latencies for x in xs)
    n_err = sum(errors)
    return {"requests": len(lat) + n_err, "ok": len(lat), "errors": n_err,
            "error_samples": samples, "seconds": elapsed,
            "rps": len(lat) / elapsed if elapsed > 0 else 0.0,
            "p50_ms": percentile(lat, 0.50), "p95_ms": percentile(lat, 0.95),
            "p99_ms": percentile(lat, 0.99), "max_ms": lat[-1] if lat else float("nan"),
            "client_cpu_s": (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)}


# --- main --------------------------------------------------------------------------------


def prepare(home: Path, port: int) -> bytes:
    env = environment(home)
    log(f"czt init into {home} …")
    t0 = time.perf_counter()
    done = subprocess.run([czt_exe(), "init"], env=env, cwd=home, capture_output=True,
                          text=True, check=False)
    if done.returncode:
        raise SystemExit(f"czt init failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    log(f"  done in {time.perf_counter() - t0:.1f} s")
    target = home / "static" / STATIC_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, __file__, "--child-dump", str(target),
                    "--host", f"127.0.0.1:{port}"], env=env, cwd=home, check=True)
    return target.read_bytes()


def report(fig: dict, args: argparse.Namespace) -> None:
    meta = fig["meta"]
    print(f"\n{meta['cores']} cores; server: {meta['server']}")
    print(f"{args.clients} concurrent clients (threads in this process, keep-alive), "
          + (f"{args.requests:,} requests" if args.requests else f"{args.duration:g} s")
          + f" per URL after {args.warmup:g} s warm-up; body {meta['body_bytes']:,} bytes "
          f"({meta['rows']} rows), API == static file byte for byte: {meta['identical']}")
    print(f"note: the load generator and the server share the {meta['cores']} cores; "
          "'client CPU' is taken from the server, 'other CPU' by other processes "
          f"(100 % = one core of {meta['cores']})\n")
    head = (f"{'URL':<20}{'requests':>9}{'errors':>7}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'p99 ms':>9}{'max ms':>9}{'req/s':>9}{'srv CPU ms/req':>15}{'client CPU':>11}"
            f"{'other CPU':>10}")
    print(head)
    busiest = 0.0
    for name, f in fig["results"].items():
        srv = f["server_cpu_s"] / f["ok"] * 1000 if f["ok"] else float("nan")
        pct = {k: f[k] / f["seconds"] * 100 if f["seconds"] else float("nan")
               for k in ("client_cpu_s", "other_cpu_s")}
        busiest = max(busiest, pct["other_cpu_s"])
        print(f"{name:<20}{f['requests']:>9,}{f['errors']:>7}{f['p50_ms']:>9.1f}"
              f"{f['p95_ms']:>9.1f}{f['p99_ms']:>9.1f}{f['max_ms']:>9.1f}{f['rps']:>9,.1f}"
              f"{srv:>15.2f}{pct['client_cpu_s']:>10.0f}%{pct['other_cpu_s']:>9.0f}%")
        if f["errors"]:
            print(f"    errors, e.g.: {', '.join(f['error_samples'])}")
    if busiest > 20:
        print(f"warning: other processes used up to {busiest:.0f} % CPU during a measurement; "
              "these figures are pessimistic — re-run on an idle machine")
    g = fig["goals"]
    print()
    print(f"goal API p95 < {GOAL_P95_MS:.0f} ms: {g['api_p95_ms']:.1f} ms — "
          f"{'met' if g['p95_met'] else 'NOT met'}")
    print(f"goal API within {GOAL_RATIO:g}× of the static file: p95 {g['p95_ratio']:.1f}×, "
          f"req/s {g['rps_ratio']:.1f}× fewer — "
          f"{'met' if g['ratio_met'] else 'NOT met'} (both ratios must be ≤ {GOAL_RATIO:g})")
    if fig["results"]["API observations"]["errors"]:
        print("(the API had errors: no goal counts as met)")


def run(args: argparse.Namespace, home: Path) -> dict:
    port = free_port()
    body = prepare(home, port)
    server = Server(home, port, args)
    try:
        log(f"starting server on 127.0.0.1:{port} …")
        server.start()
        api_status, api_body = fetch(port, API)
        st_status, st_body = fetch(port, STATIC)
        identical = api_status == st_status == 200 and api_body == st_body == body
        if not identical:
            raise SystemExit(f"API ({api_status}, {len(api_body)} B) and static file "
                             f"({st_status}, {len(st_body)} B) differ; prepared "
                             f"{len(body)} B — the comparison would be meaningless")
        results = {}
        for name, path in TARGETS:
            expect = len(body) if path in (API, STATIC) else None
            # warm-up: imports, DB connections, caches in every worker thread, not saturation
            warm = min(args.clients, args.workers * args.threads)
            log(f"{name}: warm-up {args.warmup:g} s, {warm} clients …")
            load(port, path, warm, args.warmup, None, expect)
            log(f"{name}: measuring …")
            cpu0, busy0 = server.cpu_seconds(), machine_busy_seconds()
            r = load(port, path, args.clients, None if args.requests else args.duration,
                     args.requests, expect)
            r["server_cpu_s"] = server.cpu_seconds() - cpu0
            r["other_cpu_s"] = max(0.0, machine_busy_seconds() - busy0 - r["server_cpu_s"]
                                   - r["client_cpu_s"])
            r["path"] = path
            results[name] = r
    finally:
        server.stop()
    api, st = results["API observations"], results["static same bytes"]
    p95_ratio = api["p95_ms"] / st["p95_ms"] if st["p95_ms"] else float("inf")
    rps_ratio = st["rps"] / api["rps"] if api["rps"] else float("inf")
    clean = api["errors"] == 0
    return {
        "meta": {"cores": os.cpu_count(), "server": server.command, "clients": args.clients,
                 "duration_s": None if args.requests else args.duration,
                 "requests_per_url": args.requests, "warmup_s": args.warmup,
                 "workers": args.workers, "threads": args.threads,
                 "body_bytes": len(body), "rows": json.loads(body)["count"],
                 "identical": identical},
        "results": results,
        "goals": {"api_p95_ms": api["p95_ms"], "p95_goal_ms": GOAL_P95_MS,
                  "p95_met": clean and api["p95_ms"] < GOAL_P95_MS,
                  "p95_ratio": p95_ratio, "rps_ratio": rps_ratio, "ratio_goal": GOAL_RATIO,
                  "ratio_met": clean and p95_ratio <= GOAL_RATIO and rps_ratio <= GOAL_RATIO},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--duration", type=float, default=10.0, help="seconds per URL")
    ap.add_argument("--requests", type=int, default=None,
                    help="requests per URL (instead of --duration); the overview page "
                         "manages about 1 req/s on 2 cores")
    ap.add_argument("--warmup", type=float, default=2.0, help="seconds per URL, not measured")
    ap.add_argument("--workers", type=int, default=2, help="czt serve --workers")
    ap.add_argument("--threads", type=int, default=4, help="czt serve --threads")
    ap.add_argument("--server", choices=["auto", "czt", "gunicorn"], default="auto",
                    help="auto: czt serve, or the same gunicorn set-up if czt serve fails")
    ap.add_argument("--keep", type=Path, default=None, help="use and keep this CZT_HOME")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON only")
    ap.add_argument("--profile", action="store_true",
                    help="cProfile the API and / in-process (no server) and stop")
    ap.add_argument("--profile-requests", type=int, default=100)
    ap.add_argument("--child-dump", help=argparse.SUPPRESS)
    ap.add_argument("--child-profile", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--host", default="127.0.0.1", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_dump:
        child_dump(args.child_dump, args.host)
        return
    if args.child_profile:
        child_profile(args.child_profile, args.host)
        return

    # Ctrl+C and SIGTERM both unwind through the finally blocks (server stop, temp dir)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    home = args.keep or Path(tempfile.mkdtemp(prefix="czt-web-bench-"))
    home.mkdir(parents=True, exist_ok=True)
    try:
        if args.profile:
            prepare(home, 8000)
            subprocess.run([sys.executable, __file__, "--child-profile",
                            str(args.profile_requests)], env=environment(home), cwd=home,
                           check=True)
            return
        fig = run(args, home)
    finally:
        if args.keep is None:
            shutil.rmtree(home, ignore_errors=True)
    if args.json:
        print(json.dumps(fig, indent=1))
    else:
        report(fig, args)


if __name__ == "__main__":
    main()
