"""Load benchmark: the real servers, simulated visitors over HTTP, figures printed.

Starts `serve/run.py` (Rasa, action server, outbox worker, widget server,
staff console) on free ports
with a fresh SQLite file, then drives visitors through realistic
conversations (a myth, a booking to its reference number, a medical
escalation) over the REST channel and reports per-turn latency, throughput,
errors, peak memory of each server, time from start to first answer, and
turn 1 against turn 40 of one long conversation. Writes reports/bench.md and
reports/bench.json and a plot, reports/bench.png. The same figures for Rasa's
default configuration trained on the same data (models/baseline.tar.gz, from
`scripts/train.py --baseline`), with the ratios. A benchmark, not a test: it
prints figures and fails only if the servers do not start.

    .venv/bin/python -m scripts.bench [--quick] [--no-default]
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
from typing import Any, Callable, Dict, List, Tuple

import requests

from scripts.servers import LocalAssistant

ROOT = Path(__file__).resolve().parent.parent

MYTH = ["hi", "isn't ketamine just a party drug?", "is it addictive?", "how fast does it work?", "thanks"]
BOOKING = [
    "I'd like to book a consultation",
    "Jordan Reyes",
    "203 555 0142",
    "stamford",
    "weekday mornings",
    "skip",
    "yes",
    "yes send it",
]
ESCALATION = ["I take lithium, is it safe for me to have an infusion?", "you can text me at 203 555 0143", "thank you"]
CONVERSATIONS = [MYTH, BOOKING, ESCALATION]
LONG = [
    "what is ketamine",
    "is it safe",
    "is it addictive",
    "how does it work",
    "how fast does it work",
    "how many infusions",
    "what are the side effects",
    "what conditions do you treat",
] * 5


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(latencies: List[float]) -> Dict[str, float]:
    return {
        "turns": len(latencies),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "mean_ms": statistics.mean(latencies),
    }


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
    threads = [
        threading.Thread(target=visitor, args=(url, conversations_each, latencies, errors, lock))
        for _ in range(visitors)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    return {**summary(latencies), "visitors": visitors, "errors": errors[0], "turns_per_s": len(latencies) / wall}


def long_conversation(url: str) -> Dict[str, Any]:
    session, sender = requests.Session(), f"bench-long-{uuid.uuid4().hex[:8]}"
    latencies = [turn(session, url, sender, message)[0] for message in LONG]
    return {
        "turn_1_ms": latencies[0],
        "turn_40_ms": latencies[-1],
        "latencies_ms": latencies,
        "first_5_median_ms": statistics.median(latencies[:5]),
        "last_5_median_ms": statistics.median(latencies[-5:]),
    }


def measure(model: Path, quick: bool) -> Dict[str, Any]:
    """Every figure for one trained model, on its own fresh servers and database."""
    with tempfile.TemporaryDirectory() as workdir:
        servers = LocalAssistant(Path(workdir), {"RASA_MODEL": str(model)})
        try:
            first = time_to_first_answer(servers)
            run_load(servers.rest_url, 1, 1)  # warm-up: every path once
            return {
                "model": model.name,
                "time_to_first_answer_s": first,
                "one_visitor": run_load(servers.rest_url, 1, 3 if quick else 12),
                "twenty_visitors": run_load(servers.rest_url, 20, 1 if quick else 6),
                "long_conversation": long_conversation(servers.rest_url),
                "peak_rss_mib": servers.peak_memory_mib(),
            }
        finally:
            servers.stop()


# (figure, how to read it from a result, target as text, does the result meet it)
FIGURES: List[Tuple[str, Callable[[Dict], float], str, Callable[[Dict], bool]]] = [
    ("one visitor p50 (ms)", lambda r: r["one_visitor"]["p50_ms"], "≤ 30", lambda r: r["one_visitor"]["p50_ms"] <= 30),
    ("one visitor p95 (ms)", lambda r: r["one_visitor"]["p95_ms"], "≤ 60", lambda r: r["one_visitor"]["p95_ms"] <= 60),
    ("one visitor p99 (ms)", lambda r: r["one_visitor"]["p99_ms"], "", lambda r: True),
    (
        "20 visitors, turns/s",
        lambda r: r["twenty_visitors"]["turns_per_s"],
        "≥ 40",
        lambda r: r["twenty_visitors"]["turns_per_s"] >= 40,
    ),
    ("20 visitors p50 (ms)", lambda r: r["twenty_visitors"]["p50_ms"], "", lambda r: True),
    ("20 visitors p95 (ms)", lambda r: r["twenty_visitors"]["p95_ms"], "", lambda r: True),
    ("20 visitors p99 (ms)", lambda r: r["twenty_visitors"]["p99_ms"], "", lambda r: True),
    (
        "errors",
        lambda r: r["one_visitor"]["errors"] + r["twenty_visitors"]["errors"],
        "0",
        lambda r: r["one_visitor"]["errors"] + r["twenty_visitors"]["errors"] == 0,
    ),
    (
        "turn 40 / turn 1 (median of last 5 / first 5)",
        lambda r: r["long_conversation"]["last_5_median_ms"] / r["long_conversation"]["first_5_median_ms"],
        "≤ 1.2",
        lambda r: r["long_conversation"]["last_5_median_ms"] <= 1.2 * r["long_conversation"]["first_5_median_ms"],
    ),
    (
        "start to first answer (s)",
        lambda r: r["time_to_first_answer_s"],
        "≤ 45",
        lambda r: r["time_to_first_answer_s"] <= 45,
    ),
    ("peak RSS, Rasa server (MiB)", lambda r: r["peak_rss_mib"].get("rasa server", 0), "", lambda r: True),
    ("peak RSS, action server (MiB)", lambda r: r["peak_rss_mib"].get("action server", 0), "", lambda r: True),
    ("peak RSS, outbox worker (MiB)", lambda r: r["peak_rss_mib"].get("outbox worker", 0), "", lambda r: True),
    ("peak RSS, widget server (MiB)", lambda r: r["peak_rss_mib"].get("widget server", 0), "", lambda r: True),
    ("peak RSS, staff console (MiB)", lambda r: r["peak_rss_mib"].get("staff console", 0), "", lambda r: True),
]


def plot(result: Dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (bars, lines) = plt.subplots(1, 2, figsize=(12, 4.5))
    names = [name for name in ("ours", "default") if name in result]
    labels = ["p50", "p95", "p99"]
    for offset, name in enumerate(names):
        values = [result[name]["one_visitor"][f"{label}_ms"] for label in labels]
        bars.bar([i + offset * 0.4 for i in range(3)], values, width=0.4, label=f"{name} config")
        lines.plot(range(1, len(LONG) + 1), result[name]["long_conversation"]["latencies_ms"], label=f"{name} config")
    bars.axhline(30, color="grey", linestyle=":", label="p50 target")
    bars.axhline(60, color="black", linestyle=":", label="p95 target")
    bars.set_xticks([i + 0.2 for i in range(3)], labels)
    bars.set_ylabel("ms per turn, one visitor")
    bars.set_title("Latency per turn")
    bars.legend()
    lines.set_xlabel("turn of one 40-turn conversation")
    lines.set_ylabel("ms")
    lines.set_title("Does a turn get slower as the conversation grows?")
    lines.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)


def command(quick: bool, with_default: bool) -> str:
    """How the report was made, as someone would type it again."""
    if with_default and not quick:
        return "make bench"
    return (
        ".venv/bin/python -m scripts.bench" + (" --quick" if quick else "") + ("" if with_default else " --no-default")
    )


def write_report(result: Dict[str, Any], quick: bool) -> None:
    out = ROOT / "reports"
    out.mkdir(exist_ok=True)
    name = "bench-quick" if quick else "bench"
    (out / f"{name}.json").write_text(json.dumps(result, indent=2))
    plot(result, out / f"{name}.png")
    ours, default = result["ours"], result.get("default")
    lines = [
        "# Load benchmark",
        "",
        f"Command: `{command(quick, 'default' in result)}` on "
        f"{os.cpu_count()} cores: the real servers from `serve/run.py` on SQLite, simulated visitors over the "
        "REST channel (a myth conversation, a booking to its reference number, a medical escalation), then one "
        '40-turn conversation. "default" is Rasa\'s default configuration (what `rasa init` trains with) '
        "trained on the same data and served the same way"
        + (" (quick run: few epochs, short load)" if quick else "")
        + ".",
        "",
        "| figure | target | ours | met | default | ours / default |",
        "|---|---:|---:|:---:|---:|---:|",
    ]
    for label, read, target, met in FIGURES:
        mine = read(ours)
        theirs = read(default) if default else None
        ratio = f"{mine / theirs:.2f}" if theirs else ""
        digits = 2 if " / " in label else 1  # a ratio against a target of 1.2 needs its second decimal
        lines.append(
            f"| {label} | {target} | {mine:.{digits}f} | {('yes' if met(ours) else 'no') if target else ''} "
            f"| {'' if theirs is None else f'{theirs:.{digits}f}'} | {ratio} |"
        )
    lines += [
        "",
        "Peak RSS is summed over a server's processes: the Rasa server runs as `RASA_WORKERS` (2) "
        "worker processes, each holding the model.",
        "",
        f"Plot: `reports/{name}.png`.",
    ]
    (out / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[4:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run, to check the benchmark still works")
    parser.add_argument("--no-default", action="store_true", help="only our configuration")
    args = parser.parse_args()
    result = {"ours": measure(ROOT / "models" / "assistant.tar.gz", args.quick)}
    baseline = ROOT / "models" / ("baseline-quick.tar.gz" if args.quick else "baseline.tar.gz")
    if not args.no_default:
        if not baseline.exists():
            print(
                f"No {baseline.name}: run `.venv/bin/python scripts/train.py --baseline"
                f"{' --quick' if args.quick else ''}` first (make bench does).",
                file=sys.stderr,
            )
            return 2
        result["default"] = measure(baseline, args.quick)
    write_report(result, args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
