"""Latency of /api/chat through the whole path (kiosk -> Rasa -> actions -> search).

Starts `wegwijzer serve` on free ports with the real model (trained first if needed) in
the data directory of the settings (WEGWIJZER_DATA, default ./data), unless --url points
at a running Wegwijzer. Sends N messages (a mix of needs, questions and small talk in
Dutch and English, each a fresh conversation or one long one) and prints the median and
95th percentile.

    .venv/bin/python bench/chat_latency.py [--messages 100] [--url http://127.0.0.1:8080]
"""

from __future__ import annotations

import argparse
import itertools
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import replace

import httpx

from wegwijzer.config import Settings
from wegwijzer.training import rasa_env, train

MESSAGES = [
    ("ik wil stoppen met drugs", "nl"),
    ("I need a place to live after release", "en"),
    ("ik zoek werk voor als ik buiten kom", "nl"),
    ("hallo", "nl"),
    ("what can you do", "en"),
    ("ik heb schulden", "nl"),
    ("I want to learn Dutch", "en"),
    ("wat doet het CAW", "nl"),
    ("ik wil naar de dokter", "nl"),
    ("thank you", "en"),
    ("ik wil mijn kinderen zien", "nl"),
    ("I can't sleep and I feel down", "en"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_wegwijzer() -> tuple[str, subprocess.Popen]:
    settings = replace(Settings.from_env(), kiosk_host="127.0.0.1", kiosk_port=free_port(),
                       rasa_port=free_port(), actions_port=free_port())
    train(settings)
    process = subprocess.Popen([sys.executable, "-m", "wegwijzer", "serve", "--no-train"],
                               env={**rasa_env(settings)}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if (httpx.get(f"{settings.rasa_url}/status").status_code == 200
                    and httpx.get(f"{settings.kiosk_url}/healthz").status_code == 200):
                return settings.kiosk_url, process
        except httpx.HTTPError:
            pass
        time.sleep(1)
    process.kill()
    raise SystemExit("Wegwijzer did not start within 300 s")


def measure(base: str, count: int, one_conversation: bool) -> list[float]:
    timings = []
    client = httpx.Client(timeout=60)
    for message, lang in itertools.islice(itertools.cycle(MESSAGES), count):
        if not one_conversation:
            client.cookies.clear()
        started = time.perf_counter()
        response = client.post(f"{base}/api/chat", json={"message": message, "lang": lang})
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    client.close()
    return timings


def report(label: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(f"{label}: n={len(ordered)} median={statistics.median(ordered):.1f} ms "
          f"p95={p95:.1f} ms max={ordered[-1]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--url", help="a running Wegwijzer (default: start one)")
    args = parser.parse_args()

    process = None
    base = args.url
    if base is None:
        base, process = start_wegwijzer()
    try:
        measure(base, 5, one_conversation=False)  # warm up
        report("new conversation per message", measure(base, args.messages, False))
        report("one conversation", measure(base, args.messages, True))
    finally:
        if process is not None:
            process.send_signal(signal.SIGINT)
            process.wait(60)


if __name__ == "__main__":
    main()
