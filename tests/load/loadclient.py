"""Bounded HTTP load client for the summarizer API (stdlib only, loopback only).

Runs a fixed number of POST /summarize requests from N concurrent clients, or runs for a fixed time while
sampling the server's RSS, and prints throughput, p50/p99 latency and the status codes seen.
"""
import argparse
import http.client
import json
import statistics
import threading
import time

TEXT = ("The city council voted on Tuesday to build a new bridge over the river, ending a decade of debate. "
        "The bridge will cost 20 million dollars and is expected to open in 2028, officials said. Residents who "
        "live on the east bank have asked for a crossing since the old ferry stopped running in 2014. Opponents "
        "said the money should go to schools, but the vote passed seven to two. Construction starts next spring.")


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def run(port, clients, requests, seconds, body, pid, sample_every):
    lock = threading.Lock()
    latencies, statuses = [], {}
    issued = [0]
    deadline = time.monotonic() + seconds if seconds else None
    payload = json.dumps(body).encode()

    def take():
        with lock:
            if requests is not None and issued[0] >= requests:
                return False
            if deadline is not None and time.monotonic() >= deadline:
                return False
            issued[0] += 1
            return True

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while take():
            start = time.perf_counter()
            try:
                conn.request("POST", "/summarize", payload, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                status = "conn-error"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(elapsed)
        conn.close()

    samples = []
    t0 = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    if pid and sample_every:
        while any(t.is_alive() for t in threads):
            samples.append((round(time.monotonic() - t0), rss_kib(pid)))
            for _ in range(int(sample_every * 10)):
                if not any(t.is_alive() for t in threads):
                    break
                time.sleep(0.1)
        samples.append((round(time.monotonic() - t0), rss_kib(pid)))
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    ok = statuses.get(200, 0)
    line = (f"clients={clients:>2} requests={sum(statuses.values()):>4} wall={wall:6.1f}s "
            f"throughput={ok / wall:6.2f} req/s p50={percentile(latencies, 50):7.1f} ms "
            f"p99={percentile(latencies, 99):7.1f} ms statuses={dict(sorted(statuses.items(), key=str))}")
    print(line, flush=True)
    if samples:
        print("RSS samples (seconds, MiB): " + ", ".join(f"{s}s={kib / 1024:.0f}" for s, kib in samples), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--clients", type=int, default=1)
    ap.add_argument("--requests", type=int)
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--pid", type=int)
    ap.add_argument("--sample-every", type=float)
    ap.add_argument("--num-beams", type=int, default=1)
    ap.add_argument("--max-length", type=int, default=32)
    ap.add_argument("--model-defaults", action="store_true", help="send only the text (the model's default options)")
    ap.add_argument("--text-file", help="send this file's text instead of the built-in paragraph")
    a = ap.parse_args()
    if a.requests is None and a.seconds is None:
        ap.error("give --requests or --seconds (the run must be bounded)")
    text = open(a.text_file, encoding="utf-8").read().strip() if a.text_file else TEXT
    body = {"text": text} if a.model_defaults else \
        {"text": text, "numBeams": a.num_beams, "maxLength": a.max_length, "attention": "aggregate"}
    run(a.port, a.clients, a.requests, a.seconds, body, a.pid, a.sample_every)


if __name__ == "__main__":
    main()
