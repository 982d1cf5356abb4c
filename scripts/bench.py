"""Load benchmark: the real servers, simulated visitors over HTTP, figures printed.

Starts `scripts/run.py` (Rasa, action server, outbox worker) on free ports
with a fresh SQLite file, then drives visitors through realistic
conversations (a myth, a booking to its reference number, a medical
escalation) over the REST channel and reports per-turn latency, throughput,
errors, peak memory of each server, time from start to first answer, and
turn 1 against turn 40 of one long conversation. Writes reports/bench.md and
reports/bench.json. A benchmark, not a test: it prints figures and fails only
if the servers do not start.

    .venv/bin/python -m scripts.bench [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Dict, List, Tuple

import requests
from scripts.servers import LocalAssistant

ROOT = Path(__file__).resolve().parent.parent

MYTH = ["hi", "isn't ketamine just a party drug?", "is it addictive?", "how fast does it work?", "thanks"]
BOOKING = ["I'd like to book a consultation", "Jordan Reyes", "203 555 0142", "stamford", "weekday mornings",
           "skip", "yes", "yes send it"]
ESCALATION = ["I take lithium, is it safe for me to have an infusion?", "you can text me at 203 555 0143", "thank you"]
CONVERSATIONS = [MYTH, BOOKING, ESCALATION]
LONG = ["what is ketamine", "is it safe", "is it addictive", "how does it work", "how fast does it work",
        "how many infusions", "what are the side effects", "what conditions do you treat"] * 5


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(latencies: List[float]) -> Dict[str, float]:
    return {"turns": len(latencies), "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99), "mean_ms": statistics.mean(latencies)}


def time_to_first_answer(servers: LocalAssistant, timeout: float = 400) -> float:
    """Seconds from start until the REST channel gives a real reply."""
    while time.monotonic() - servers.started < timeout:
        if servers.process.poll() is not None:
            raise RuntimeError(f"the servers exited; see {servers.log_path}")
        try:
            if requests.post(servers.rest_url, json={"sender": "probe", "message": "hi"}, timeout=5).json():
                return time.monotonic() - servers.started
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.5)
    raise TimeoutError("no answer within the timeout")


def turn(session: requests.Session, url: str, sender: str, message: str) -> Tuple[float, bool]:
    start = time.perf_counter()
    try:
        response = session.post(url, json={"sender": sender, "message": message}, timeout=60)
        ok = response.status_code == 200 and isinstance(response.json(), list)
    except (requests.RequestException, ValueError):
        ok = False
    return (time.perf_counter() - start) * 1000, ok


def visitor(url: str, conversations: int, latencies: List[float], errors: List[int], lock: threading.Lock) -> None:
    session = requests.Session()
    for index in range(conversations):
        sender = f"bench-{uuid.uuid4().hex[:12]}"
        for message in CONVERSATIONS[index % len(CONVERSATIONS)]:
            elapsed, ok = turn(session, url, sender, message)
            with lock:
                latencies.append(elapsed)
                errors[0] += 0 if ok else 1


def run_load(url: str, visitors: int, conversations_each: int) -> Dict[str, float]:
    latencies: List[float] = []
    errors = [0]
    lock = threading.Lock()
    threads = [threading.Thread(target=visitor, args=(url, conversations_each, latencies, errors, lock))
               for _ in range(visitors)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    return {**summary(latencies), "visitors": visitors, "errors": errors[0], "turns_per_s": len(latencies) / wall}


def long_conversation(url: str) -> Dict[str, float]:
    session, sender = requests.Session(), f"bench-long-{uuid.uuid4().hex[:8]}"
    latencies = [turn(session, url, sender, message)[0] for message in LONG]
    return {"turn_1_ms": latencies[0], "turn_40_ms": latencies[-1],
            "first_5_median_ms": statistics.median(latencies[:5]), "last_5_median_ms": statistics.median(latencies[-5:])}


def write_report(result: Dict, quick: bool) -> None:
    out = ROOT / "reports"
    out.mkdir(exist_ok=True)
    name = "bench-quick" if quick else "bench"
    (out / f"{name}.json").write_text(json.dumps(result, indent=2))
    one, many, long = result["one_visitor"], result["twenty_visitors"], result["long_conversation"]
    lines = [
        "# Load benchmark", "",
        f"Command: `.venv/bin/python -m scripts.bench{' --quick' if quick else ''}` on {os.cpu_count()} cores; "
        "the real servers from `scripts/run.py` on SQLite, visitors over the REST channel.", "",
        f"- Time from start to first answer: **{result['time_to_first_answer_s']:.0f} s**",
        f"- One visitor at a time: p50 **{one['p50_ms']:.0f} ms**, p95 {one['p95_ms']:.0f} ms, "
        f"p99 {one['p99_ms']:.0f} ms over {one['turns']} turns, {one['errors']} errors",
        f"- {many['visitors']} concurrent visitors: **{many['turns_per_s']:.1f} turns/s**, p50 {many['p50_ms']:.0f} ms, "
        f"p95 {many['p95_ms']:.0f} ms, p99 {many['p99_ms']:.0f} ms over {many['turns']} turns, {many['errors']} errors",
        f"- One 40-turn conversation: turn 1 {long['turn_1_ms']:.0f} ms, turn 40 {long['turn_40_ms']:.0f} ms "
        f"(median of the first five {long['first_5_median_ms']:.0f} ms, last five {long['last_5_median_ms']:.0f} ms)",
        "- Peak memory (VmHWM): " + ", ".join(f"{k} {v} MiB" for k, v in sorted(result["peak_rss_mib"].items())),
    ]
    (out / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[4:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run, to check the benchmark still works")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        servers = LocalAssistant(Path(workdir))
        try:
            first = time_to_first_answer(servers)
            run_load(servers.rest_url, 1, 1)  # warm-up: every path once
            one = run_load(servers.rest_url, 1, 3 if args.quick else 12)
            many = run_load(servers.rest_url, 20, 1 if args.quick else 6)
            long = long_conversation(servers.rest_url)
            result = {"time_to_first_answer_s": first, "one_visitor": one, "twenty_visitors": many,
                      "long_conversation": long, "peak_rss_mib": servers.peak_memory_mib()}
        finally:
            servers.stop()
    write_report(result, args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
