"""Chat latency and throughput: Wegwijzer's whole path against a stock Rasa assistant.

Wegwijzer: POST /api/chat on the kiosk (kiosk -> Rasa -> action server -> search -> NLG).
Stock: `rasa init`'s assistant served by `rasa run` on the same machine, posting to its
REST channel directly. Both are started by this script on free ports, one after the
other, and measured the same way:

- latency (median, 95th percentile) with 1 and with 20 conversations at once, and
  throughput (messages a second) with 20;
- latency at turn 1, 50 and 200 of one long conversation: the mean over one round of the
  target's messages starting there, so that each point is the same messages and only
  the length of the conversation differs (the messages cost different amounts).

    .venv/bin/python bench/chat_latency.py [--messages 100] [--skip-stock]

Wegwijzer uses the real model in the data directory of the settings (trained if needed).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx

from wegwijzer.config import Settings
from wegwijzer.training import rasa_env, train

WEGWIJZER_MESSAGES = [
    ("ik wil stoppen met drugs", "nl"),
    ("I need a place to live after release", "en"),
    ("ik zoek werk voor als ik buiten kom", "nl"),
    ("hallo", "nl"),
    ("what can you do", "en"),
    ("ik heb schulden", "nl"),
    ("je voudrais apprendre le néerlandais", "fr"),
    ("wat doet het CAW", "nl"),
    ("ik wil naar de dokter", "nl"),
    ("thank you", "en"),
    ("ik wil mijn kinderen zien", "nl"),
    ("uyuyamıyorum ve çok kötü hissediyorum", "tr"),
]
STOCK_MESSAGES = ["hello", "I am sad", "yes", "great", "no", "are you a bot?", "goodbye"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(urls: list[str], process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            if all(httpx.get(url).status_code == 200 for url in urls):
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit("server did not start in time")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()


class Target:
    """How to send one message of conversation `conversation` to a server."""

    def __init__(self, name, url, messages, body):
        self.name, self.url, self.messages, self.body = name, url, messages, body

    async def send(self, client: httpx.AsyncClient, conversation: str, turn: int) -> float:
        message = self.messages[turn % len(self.messages)]
        started = time.perf_counter()
        response = await client.post(self.url, json=self.body(message, conversation),
                                     cookies={"wz_chat": conversation})
        response.raise_for_status()
        return (time.perf_counter() - started) * 1000


async def concurrent(target: Target, conversations: int, total: int) -> tuple[list[float], float]:
    per_conversation = max(1, total // conversations)
    timings: list[float] = []
    limits = httpx.Limits(max_connections=conversations)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        async def talk(index: int) -> None:
            name = f"bench-{time.monotonic_ns()}-{index}"
            for turn in range(per_conversation):
                timings.append(await target.send(client, name, turn + index))

        started = time.perf_counter()
        await asyncio.gather(*(talk(i) for i in range(conversations)))
        elapsed = time.perf_counter() - started
    return timings, len(timings) / elapsed


async def long_conversation(target: Target, turns: int = 200) -> dict[int, float]:
    name = f"bench-long-{time.monotonic_ns()}"
    timings = []
    async with httpx.AsyncClient(timeout=120) as client:
        for turn in range(turns):
            timings.append(await target.send(client, name, turn))
    # From each point, one round of the messages: the same messages every time.
    size = len(target.messages)
    starts = {1: 0, 50: 49, 200: turns - size}
    return {turn: statistics.mean(timings[start:start + size]) for turn, start in starts.items()}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


async def measure(target: Target, total: int) -> dict:
    await concurrent(target, 2, 10)  # warm up
    single, _ = await concurrent(target, 1, total)
    many, throughput = await concurrent(target, 20, total * 2)
    turns = await long_conversation(target)
    result = {
        "median_1": statistics.median(single), "p95_1": percentile(single, 0.95),
        "median_20": statistics.median(many), "p95_20": percentile(many, 0.95),
        "throughput_20": throughput, "turns": turns,
    }
    print(f"{target.name}: 1 conversation: median {result['median_1']:.0f} ms, "
          f"p95 {result['p95_1']:.0f} ms | 20 at once: median {result['median_20']:.0f} ms, "
          f"p95 {result['p95_20']:.0f} ms, {throughput:.1f} messages/s | long conversation: "
          + ", ".join(f"turn {t} {v:.0f} ms" for t, v in turns.items())
          + f" (turn 200 = {turns[200] / turns[1]:.2f}x turn 1)", flush=True)
    return result


def wegwijzer_target() -> tuple[Target, subprocess.Popen]:
    settings = replace(Settings.from_env(), kiosk_host="127.0.0.1", kiosk_port=free_port(),
                       rasa_port=free_port(), actions_port=free_port())
    train(settings)
    process = subprocess.Popen([sys.executable, "-m", "wegwijzer", "serve", "--no-train"],
                               env=rasa_env(settings), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    wait_for([f"{settings.rasa_url}/status", f"{settings.kiosk_url}/healthz"], process)
    messages = WEGWIJZER_MESSAGES
    return Target("wegwijzer", f"{settings.kiosk_url}/api/chat", messages,
                  lambda message, _conversation: {"message": message[0], "lang": message[1]}
                  ), process


def stock_target(workdir: Path) -> tuple[Target, subprocess.Popen]:
    env = rasa_env(Settings.from_env())
    if not (workdir / "models").exists():
        workdir.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir",
                        str(workdir)], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port)],
        cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for([f"http://127.0.0.1:{port}/status"], process)
    return Target("stock rasa", f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                  STOCK_MESSAGES,
                  lambda message, conversation: {"sender": conversation, "message": message}
                  ), process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--skip-stock", action="store_true")
    parser.add_argument("--stock-dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "wegwijzer-stock-rasa")
    args = parser.parse_args()

    results = {}
    for name, start in [("wegwijzer", wegwijzer_target),
                        ("stock", lambda: stock_target(args.stock_dir))]:
        if name == "stock" and args.skip_stock:
            continue
        target, process = start()
        try:
            results[name] = asyncio.run(measure(target, args.messages))
        finally:
            stop(process)
    if "stock" in results:
        ours, stock = results["wegwijzer"], results["stock"]
        print(f"ratio wegwijzer/stock: median latency 1 conversation "
              f"{ours['median_1'] / stock['median_1']:.2f}, 20 at once "
              f"{ours['median_20'] / stock['median_20']:.2f}; throughput at 20 "
              f"{ours['throughput_20'] / stock['throughput_20']:.2f}")


if __name__ == "__main__":
    main()
