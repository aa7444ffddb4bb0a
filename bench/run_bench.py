#!/usr/bin/python3
"""`make bench`: every teltubby benchmark in one run, written to docs/BENCHMARKS.md.

Each figure is measured side by side with its reference in the same run (teltubby and
`aws s3 cp` alternate on the same file and the same S3 server), so the ratios hold on a
noisy, shared machine even when the absolute numbers move. See bench/README.md.

Usage: run_bench.py --build DIR --services-env FILE --work DIR --out FILE [--quick]
The services (S3 test server, RabbitMQ) are the caller's (scripts/test-services).
"""
import argparse
import concurrent.futures
import datetime
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

# Looks fake on purpose (a hook rejects realistic tokens).
BOT_TOKEN = "1234567:FAKEtokenFORteltubbyTESTSonly000000"
MB = 1000 * 1000
MIB = 1024 * 1024
SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(text):
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def read_env_file(path):
    values = {}
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if "=" in line:
                name, value = line.split("=", 1)
                values[name] = value
    return values


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = int(round(p / 100.0 * (len(ordered) - 1)))
    return ordered[min(rank, len(ordered) - 1)]


class MemorySampler(threading.Thread):
    """Largest RssAnon and RssFile seen in /proc/PID/status, every 20 ms.

    ru_maxrss counts file-backed pages too: the shared libraries' code (libcrypto,
    libstdc++, libc, ...), mostly shared with every other process. RssAnon is the
    process's own memory (heap, part buffers, stacks); sampling can miss a short peak."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.anon_kib, self.file_kib = pid, 0, 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            try:
                with open(f"/proc/{self.pid}/status") as handle:
                    text = handle.read()
                self.anon_kib = max(self.anon_kib, int(re.search(r"RssAnon:\s+(\d+)", text).group(1)))
                self.file_kib = max(self.file_kib, int(re.search(r"RssFile:\s+(\d+)", text).group(1)))
            except (OSError, AttributeError):
                pass  # gone, or a zombie without those lines
            self.done.wait(0.02)


def spawn_measured(argv, env=None, sample=None):
    """Runs argv to completion; returns (wall seconds, peak RSS in KiB, stdout, stderr).

    wait4 gives the child's own ru_maxrss (Linux: KiB), not the sum over children.
    With `sample` (a dict), also fills in the largest RssAnon / RssFile seen."""
    out_path = os.path.join(ARGS.work, "child.out")
    err_path = os.path.join(ARGS.work, "child.err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.monotonic()
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        sampler = None
        if sample is not None:
            sampler = MemorySampler(process.pid)
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        if sampler is not None:
            sampler.done.set()
            sampler.join()
            sample.update(anon_kib=sampler.anon_kib, file_kib=sampler.file_kib)
        process.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path, errors="replace") as out, open(err_path, errors="replace") as err:
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"{argv[0]} exited {process.returncode}: {stderr[-2000:]}")
    return seconds, usage.ru_maxrss, stdout, stderr


# --------------------------------------------------------------------------- machine

def machine_description():
    model = "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as handle:
        total_kib = int(re.search(r"MemTotal:\s+(\d+)", handle.read()).group(1))
    disk = "unknown"
    try:
        source = subprocess.run(["df", "--output=source,fstype,size", ARGS.work], capture_output=True, text=True,
                                check=True).stdout.splitlines()[-1].split()
        device = os.path.basename(source[0])
        rotational = "?"
        base = re.sub(r"\d+$", "", device)
        for candidate in (device, base):
            path = f"/sys/block/{candidate}/queue/rotational"
            if os.path.exists(path):
                with open(path) as handle:
                    flag = handle.read().strip()
                rotational = f"kernel's rotational flag {flag}"
                break
        disk = f"{source[0]} ({source[1]}, {int(source[2]) / 1024 / 1024:.0f} GiB, {rotational})"
    except (subprocess.CalledProcessError, IndexError):
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram": f"{total_kib / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "disk": disk,
        "load_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# --------------------------------------------------------------------------- 1. large files

def make_file(path, size):
    """Random (incompressible) bytes; generated per run, deleted after."""
    with open(path, "wb") as handle:
        left = size
        while left > 0:
            piece = min(left, 16 * MIB)
            handle.write(os.urandom(piece))
            left -= piece


def aws_env(services):
    env = dict(os.environ)
    env.update({
        "AWS_ACCESS_KEY_ID": services["TELTUBBY_TEST_S3_ACCESS_KEY"],
        "AWS_SECRET_ACCESS_KEY": services["TELTUBBY_TEST_S3_SECRET_KEY"],
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_PAGER": "",
    })
    return env


def aws(services, *arguments):
    return ["/usr/bin/aws", "--endpoint-url", services["TELTUBBY_TEST_S3_ENDPOINT"], *arguments]


def bench_large(services):
    # (size, repetitions): on s3rver `aws s3 cp` moves about 15 MB/s, so the 2 GB runs
    # dominate the whole benchmark's time.
    sizes = [(100 * MB, 5), (1000 * MB, 2), (2000 * MB, 2)]
    if ARGS.quick:
        sizes = [(100 * MB, 2), (1000 * MB, 1)]
    env = aws_env(services)
    bucket = f"tt-bench-aws-{random.randrange(10**9)}"
    subprocess.run(aws(services, "s3", "mb", f"s3://{bucket}"), env=env, check=True, capture_output=True)
    # The interpreter's own start (part of every `aws` wall time below).
    aws_start = statistics.median(spawn_measured(["/usr/bin/aws", "--version"], env=env)[0] for _ in range(3))
    results = []
    for size, repetitions in sizes:
        path = os.path.join(ARGS.work, f"large-{size}.bin")
        log(f"large file: generating {size // MB} MB")
        make_file(path, size)
        row = {"size": size, "teltubby": [], "teltubby_inner": [], "teltubby_rss": [], "aws": [], "aws_rss": [],
               "sha256sum": []}
        for repetition in range(repetitions):
            # Alternate the order so neither side always runs on a warmer page cache.
            order = ["teltubby", "aws", "sha256sum"] if repetition % 2 == 0 else ["aws", "teltubby", "sha256sum"]
            for tool in order:
                if tool == "teltubby":
                    work = os.path.join(ARGS.work, "pipeline")
                    shutil.rmtree(work, ignore_errors=True)
                    memory = {}
                    seconds, rss, out, _ = spawn_measured([PIPELINE_BENCH, "large", path, work],
                                                          env=dict(os.environ, **services), sample=memory)
                    row.setdefault("teltubby_anon", []).append(memory["anon_kib"])
                    row.setdefault("teltubby_file", []).append(memory["file_kib"])
                    result = json.loads(out)
                    if result["state"] != "COMPLETED" and result["state"].lower() != "completed":
                        raise RuntimeError(f"pipeline ended {result}")
                    row["teltubby"].append(seconds)
                    row["teltubby_inner"].append(result["seconds"])
                    row.setdefault("teltubby_spool", []).append(result["spool_seconds"])
                    row["teltubby_rss"].append(rss)
                elif tool == "aws":
                    key = f"s3://{bucket}/big-{repetition}.bin"
                    seconds, rss, _, _ = spawn_measured(aws(services, "s3", "cp", "--only-show-errors", path, key), env=env)
                    subprocess.run(aws(services, "s3", "rm", "--only-show-errors", key), env=env, check=True)
                    row["aws"].append(seconds)
                    row["aws_rss"].append(rss)
                else:
                    seconds, _, _, _ = spawn_measured(["sha256sum", path])
                    row["sha256sum"].append(seconds)
            log(f"large file {size // MB} MB #{repetition + 1}: teltubby {row['teltubby'][-1]:.2f} s, "
                f"aws {row['aws'][-1]:.2f} s, sha256sum {row['sha256sum'][-1]:.2f} s, "
                f"RSS {row['teltubby_rss'][-1] / 1024:.1f} MiB")
        os.remove(path)
        results.append(row)
    subprocess.run(aws(services, "s3", "rb", "--force", f"s3://{bucket}"), env=env, capture_output=True)
    return {"rows": results, "aws_start_seconds": aws_start}


# --------------------------------------------------------------------------- fake Telegram + bot

class Http:
    """One keep-alive connection to a loopback HTTP server (one per thread)."""

    def __init__(self, base_url, timeout=60):
        parsed = urllib.parse.urlparse(base_url)
        self.host, self.port, self.timeout = parsed.hostname, parsed.port, timeout
        self.connection = None

    def request(self, method, path, body=None):
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                data = None if body is None else json.dumps(body).encode()
                headers = {"Content-Type": "application/json"} if data is not None else {}
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                text = response.read()
                if response.status != 200:
                    raise RuntimeError(f"{method} {path}: {response.status} {text[:300]!r}")
                return json.loads(text) if text else None
            except (http.client.HTTPException, ConnectionError, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 1:
                    raise

    def request_text(self, path):
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self.connection.request("GET", path)
        return self.connection.getresponse().read().decode()

    def status(self, path):
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=2)
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            response.read()
            return response.status
        except (http.client.HTTPException, ConnectionError, OSError):
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeTelegram:
    def __init__(self, directory):
        os.makedirs(directory, exist_ok=True)
        self.out = open(os.path.join(directory, "fake-telegram.out"), "w+")
        # No --state-dir: the fake would serialise its whole world to disk twice a second,
        # CPU that competes with the bot on a small machine and is not teltubby's cost.
        self.process = subprocess.Popen(
            [FAKE_TELEGRAM, "--port", "0", "--seed", "7", "--rate-limits", "off"],
            stdout=self.out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        port = None
        while port is None and time.monotonic() < deadline:
            self.out.seek(0)
            match = re.search(r"listening on (\d+)", self.out.read())
            if match:
                port = int(match.group(1))
            elif self.process.poll() is not None:
                raise RuntimeError("fake-telegram exited at start")
            else:
                time.sleep(0.02)
        if port is None:
            raise RuntimeError("fake-telegram did not start within 30 s")
        self.url = f"http://127.0.0.1:{port}"
        self.http = Http(self.url)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.out.close()


def bot_environment(world_url, services, run_dir, health_port, curators, extra=None):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_WHITELIST_IDS": ",".join(str(c) for c in curators),
        "TELEGRAM_API_BASE_URL": world_url,
        "TELEGRAM_MODE": "polling",
        "S3_ENDPOINT": services["TELTUBBY_TEST_S3_ENDPOINT"],
        "S3_ACCESS_KEY_ID": services["TELTUBBY_TEST_S3_ACCESS_KEY"],
        "S3_SECRET_ACCESS_KEY": services["TELTUBBY_TEST_S3_SECRET_KEY"],
        "S3_BUCKET": f"tt-bench-bot-{random.randrange(10**9)}",
        "S3_FORCE_PATH_STYLE": "true",
        "SQLITE_PATH": os.path.join(run_dir, "data", "teltubby.db"),
        "TELTUBBY_DATA_DIR": os.path.join(run_dir, "data"),
        "TELTUBBY_WORK_DIR": os.path.join(run_dir, "work"),
        "LOG_FILE": os.path.join(run_dir, "logs", "teltubby.log"),
        "LOG_LEVEL": "info",
        "HEALTH_PORT": str(health_port),
        "RABBITMQ_HOST": "127.0.0.1",
        "RABBITMQ_PORT": services["TELTUBBY_TEST_AMQP_PORT"],
        "HOME": run_dir,
        "TMPDIR": os.path.join(run_dir, "work"),
    }
    env.update(extra or {})
    for sub in ("data", "work", "logs"):
        os.makedirs(os.path.join(run_dir, sub), exist_ok=True)
    return env


class Teltubby:
    """`teltubby bot|worker` as a child; start-up time is until /healthz answers 200."""

    def __init__(self, role, env, run_dir):
        self.health = Http(f"http://127.0.0.1:{env['HEALTH_PORT']}")
        self.stdout = open(os.path.join(run_dir, "logs", f"{role}.stdout"), "w")
        self.started = time.monotonic()
        self.process = subprocess.Popen([TELTUBBY, role], env=env, cwd=run_dir, stdout=self.stdout,
                                        stderr=subprocess.STDOUT)
        deadline = self.started + 60
        self.ready_seconds = None
        while time.monotonic() < deadline:
            if self.health.status("/healthz") == 200:
                self.ready_seconds = time.monotonic() - self.started
                break
            if self.process.poll() is not None:
                raise RuntimeError(f"teltubby {role} exited at start (see {self.stdout.name})")
            time.sleep(0.005)
        if self.ready_seconds is None:
            raise RuntimeError(f"teltubby {role} not healthy within 60 s")

    def status_kib(self, field):
        with open(f"/proc/{self.process.pid}/status") as handle:
            return int(re.search(rf"{field}:\s+(\d+) kB", handle.read()).group(1))

    def mapped_kib(self, name_part):
        """Resident KiB of the mappings whose path contains name_part (smaps_rollup has no split)."""
        total, current = 0, False
        with open(f"/proc/{self.process.pid}/smaps") as handle:
            for line in handle:
                if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                    current = name_part in line
                elif current and line.startswith("Rss:"):
                    total += int(line.split()[1])
        return total

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stdout.close()


# --------------------------------------------------------------------------- 2. small messages

def photo_body(curator, bot_id, seed):
    """A 1 MB photo (largest size; Telegram also sends two thumbnails)."""
    return {"from_user_id": curator, "chat_id": bot_id, "kind": "photo",
            "photo_sizes": [{"width": 90, "height": 68, "size": 2_000, "seed": seed * 3 + 1},
                            {"width": 320, "height": 240, "size": 20_000, "seed": seed * 3 + 2},
                            {"width": 1280, "height": 960, "size": 1 * MB, "seed": seed * 3 + 3}]}


class Receipts:
    """Receipts in the curators' chats, read from the fake world's outbox (at_ms)."""

    def __init__(self, bot_id):
        self.bot_id = bot_id

    def sent_events(self, http, curator, count=0, timeout_ms=0):
        answer = http.request("GET", f"/control/chat/{curator}/outbox?count={count}&timeout_ms={timeout_ms}"
                                     f"&bot_id={self.bot_id}")
        return answer["events"]

    def wait_next(self, http, curator, already, timeout_s=60):
        """Waits for the (already+1)-th `sent` event in the chat; returns its at_ms."""
        deadline = time.monotonic() + timeout_s
        total = 0
        while time.monotonic() < deadline:
            events = self.sent_events(http, curator, total + 1, 10_000)
            total = len(events)
            sent = [e for e in events if e.get("type") == "sent"]
            if len(sent) > already:
                return sent[already]["at_ms"]
        raise RuntimeError(f"no receipt in chat {curator} within {timeout_s} s")

    def all_sent(self, http, curator):
        return [e["at_ms"] for e in self.sent_events(http, curator) if e.get("type") == "sent"]


def metric_value(text, name):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and (line[len(name)] in " {"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def s3_client(services, connections=10):
    import botocore.config
    import botocore.session
    session = botocore.session.get_session()
    return session.create_client(
        "s3", endpoint_url=services["TELTUBBY_TEST_S3_ENDPOINT"], region_name="us-east-1",
        aws_access_key_id=services["TELTUBBY_TEST_S3_ACCESS_KEY"],
        aws_secret_access_key=services["TELTUBBY_TEST_S3_SECRET_KEY"],
        config=botocore.config.Config(max_pool_connections=connections, s3={"addressing_style": "path"}))


def raw_put_rate(services, concurrency, count):
    """The same 1 MB objects PUT by a plain client (botocore), `concurrency` in flight."""
    client = s3_client(services, max(10, concurrency))
    bucket = f"tt-bench-put-{random.randrange(10**9)}"
    client.create_bucket(Bucket=bucket)
    bodies = [os.urandom(1 * MB) for _ in range(min(count, 64))]
    latencies = []

    def put(index):
        started = time.monotonic()
        client.put_object(Bucket=bucket, Key=f"photo-{index}.jpg", Body=bodies[index % len(bodies)],
                          ContentType="image/jpeg")
        latencies.append(time.monotonic() - started)

    client.put_object(Bucket=bucket, Key="warm-up", Body=b"x")  # connection and signer set up
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(put, range(count)))
    seconds = time.monotonic() - started
    for index in range(count):
        client.delete_object(Bucket=bucket, Key=f"photo-{index}.jpg")
    client.delete_object(Bucket=bucket, Key="warm-up")
    client.delete_bucket(Bucket=bucket)
    return {"per_second": count / seconds, "p50_ms": percentile(latencies, 50) * 1000,
            "p99_ms": percentile(latencies, 99) * 1000}


def bench_small(services):
    results = []
    seed = 1000
    counts = {"sequential": 30, "paced": 100, "burst": 200}
    if ARGS.quick:
        counts = {"sequential": 10, "paced": 40, "burst": 60}
    paced_rate = 20.0  # messages/s: below the bot's own 27/s send budget (Telegram's 30/s)
    for concurrency in (1, 8, 32):
        run_dir = os.path.join(ARGS.work, f"small-c{concurrency}")
        shutil.rmtree(run_dir, ignore_errors=True)
        world = FakeTelegram(os.path.join(run_dir, "world"))
        try:
            bot = world.http.request("POST", "/control/bots", {"username": "teltubby_bench_bot", "first_name": "Bench",
                                                                "token": BOT_TOKEN})
            bot_id = bot["id"]
            # 64 curators in their own private chats: the bot may answer each chat about
            # once a second (Telegram's limit, kept by its governor), so spreading the
            # messages over many chats measures the pipeline rather than that limit.
            curators = [world.http.request("POST", "/control/users", {"first_name": f"Curator{i}",
                                                                       "username": f"bench_curator_{i}"})["id"]
                        for i in range(64)]
            env = bot_environment(world.url, services, run_dir, free_port(), curators,
                                  {"CONCURRENCY": str(concurrency)})
            process = Teltubby("bot", env, run_dir)
            receipts = Receipts(bot_id)
            row = {"concurrency": concurrency}
            try:
                # (a) one at a time: send, wait for its receipt, next (rotating chats).
                latencies = []
                received = {c: 0 for c in curators}
                for index in range(counts["sequential"]):
                    curator = curators[index % len(curators)]
                    seed += 1
                    sent_ms = time.time() * 1000
                    world.http.request("POST", "/control/send", photo_body(curator, bot_id, seed))
                    at_ms = receipts.wait_next(world.http, curator, received[curator])
                    received[curator] += 1
                    latencies.append(at_ms - sent_ms)
                row["sequential"] = latencies

                # (b) paced: messages arrive at paced_rate, whatever the bot is doing.
                def paced_or_burst(count, rate):
                    sends = []  # (curator, sent_ms)
                    started = time.monotonic()
                    nonlocal seed
                    metrics = Http(f"http://127.0.0.1:{env['HEALTH_PORT']}")
                    base_ingested = metric_value(metrics.request_text("/metrics"), "teltubby_ingested_messages_total")
                    stop = threading.Event()
                    archived_done = {}

                    def watch_metrics():
                        watcher = Http(f"http://127.0.0.1:{env['HEALTH_PORT']}")
                        while not stop.is_set():
                            value = metric_value(watcher.request_text("/metrics"), "teltubby_ingested_messages_total")
                            if value - base_ingested >= count and "at" not in archived_done:
                                archived_done["at"] = time.time() * 1000
                                return
                            time.sleep(0.02)

                    watcher = threading.Thread(target=watch_metrics)
                    watcher.start()
                    for index in range(count):
                        if rate:
                            due = started + index / rate
                            delay = due - time.monotonic()
                            if delay > 0:
                                time.sleep(delay)
                        curator = curators[index % len(curators)]
                        seed += 1
                        sends.append((curator, time.time() * 1000))
                        world.http.request("POST", "/control/send", photo_body(curator, bot_id, seed))
                    # Wait until every chat has all its receipts.
                    expected = {}
                    for curator, _ in sends:
                        expected[curator] = expected.get(curator, 0) + 1
                    for curator, extra in expected.items():
                        receipts.wait_next(world.http, curator, received[curator] + extra - 1, timeout_s=120)
                    stop.set()
                    watcher.join()
                    # The k-th message of a chat is matched with its k-th receipt (order
                    # may swap within a chat under load; the distribution barely moves).
                    latencies, last_ms = [], 0
                    position = {}
                    for curator, sent_ms in sends:
                        k = received[curator] + position.get(curator, 0)
                        position[curator] = position.get(curator, 0) + 1
                        at_ms = receipts.all_sent(world.http, curator)[k]
                        latencies.append(at_ms - sent_ms)
                        last_ms = max(last_ms, at_ms)
                    for curator, extra in expected.items():
                        received[curator] += extra
                    first_ms = sends[0][1]
                    return {"latencies": latencies,
                            "receipts_per_second": count / ((last_ms - first_ms) / 1000),
                            "archived_per_second": (count / ((archived_done["at"] - first_ms) / 1000)
                                                    if "at" in archived_done else None)}

                row["paced"] = paced_or_burst(counts["paced"], paced_rate)
                row["paced"]["rate"] = paced_rate
                row["burst"] = paced_or_burst(counts["burst"], None)
                row["idle_rss_kib_after"] = process.status_kib("VmRSS")
                row["peak_rss_kib"] = process.status_kib("VmHWM")
            finally:
                process.stop()
            row["raw_put"] = raw_put_rate(services, concurrency, counts["burst"])
            log(f"small c={concurrency}: sequential p50 {percentile(row['sequential'], 50):.0f} ms, "
                f"paced p99 {percentile(row['paced']['latencies'], 99):.0f} ms, "
                f"burst {row['burst']['receipts_per_second']:.1f} receipts/s, "
                f"raw PUT {row['raw_put']['per_second']:.1f}/s")
            results.append(row)
        finally:
            world.stop()
    return results


# --------------------------------------------------------------------------- 3. jobs

def bench_jobs(services):
    count = 300 if ARGS.quick else 2000
    work = os.path.join(ARGS.work, "jobs")
    shutil.rmtree(work, ignore_errors=True)
    _, rss, out, _ = spawn_measured([PIPELINE_BENCH, "jobs", str(count), work], env=dict(os.environ, **services))
    result = json.loads(out)
    log(f"jobs: {result['enqueue']['jobs_per_second']:.0f} enqueued/s, pickup p50 "
        f"{result['pickup_default']['p50_ms']:.1f} ms")
    return result


# --------------------------------------------------------------------------- 4. start-up and idle RSS

def bench_startup(services):
    repetitions = 2 if ARGS.quick else 5
    rows = {"bot": [], "worker": [], "worker_real_tdlib": []}
    for repetition in range(repetitions):
        for role in ("bot", "worker", "worker_real_tdlib"):
            if role == "worker_real_tdlib" and not os.path.exists(REAL_TDJSON):
                continue
            run_dir = os.path.join(ARGS.work, f"start-{role}-{repetition}")
            shutil.rmtree(run_dir, ignore_errors=True)
            world = FakeTelegram(os.path.join(run_dir, "world"))
            try:
                bot = world.http.request("POST", "/control/bots", {"username": "teltubby_bench_bot",
                                                                    "first_name": "Bench", "token": BOT_TOKEN})
                curator = world.http.request("POST", "/control/users", {"first_name": "Curator"})["id"]
                world.http.request("POST", "/control/users", {"first_name": "Worker", "phone": "+15550009999"})
                prefix = f"bench.start.{random.randrange(10**9)}."
                extra = {"JOB_QUEUE_NAME": prefix + "large_files", "JOB_PRIORITY_QUEUE": prefix + "priority_jobs",
                         "JOB_RETRY_QUEUE": prefix + "retry_jobs", "JOB_EXCHANGE": prefix + "jobs",
                         "JOB_DLX_EXCHANGE": prefix + "dlx", "JOB_DEAD_LETTER_QUEUE": prefix + "failed_jobs",
                         "JOB_EVENTS_EXCHANGE": prefix + "events", "JOB_BOT_EVENTS_QUEUE": prefix + "bot_events",
                         "JOB_WORKER_CONTROL_QUEUE": prefix + "worker_control"}
                env = bot_environment(world.url, services, run_dir, free_port(), [curator], extra)
                if role != "bot":
                    # The bot creates the bucket; the worker only checks it is there.
                    s3_client(services).create_bucket(Bucket=env["S3_BUCKET"])
                    env.pop("TELEGRAM_BOT_TOKEN")
                    env.pop("TELEGRAM_WHITELIST_IDS")
                    env.update({"MTPROTO_API_ID": "12345", "MTPROTO_API_HASH": "0123456789abcdef0123456789abcdef",
                                "MTPROTO_PHONE_NUMBER": "+15550009999",
                                "MTPROTO_SESSION_PATH": os.path.join(run_dir, "data", "mtproto"),
                                "TELTUBBY_FAKE_TELEGRAM_URL": world.url,
                                "TDJSON_PATH": STAND_IN_TDJSON if role == "worker" else REAL_TDJSON})
                process = Teltubby("worker" if role != "bot" else "bot", env, run_dir)
                try:
                    time.sleep(5)  # idle: polling, heartbeats, the account waiting for its login
                    rows[role].append({"ready_seconds": process.ready_seconds,
                                       "rss_kib": process.status_kib("VmRSS"),
                                       "tdjson_kib": process.mapped_kib("libtdjson") if role != "bot" else 0})
                finally:
                    process.stop()
            finally:
                world.stop()
        log(f"start-up #{repetition + 1}: " + ", ".join(
            f"{role} {rows[role][-1]['ready_seconds'] * 1000:.0f} ms {rows[role][-1]['rss_kib'] / 1024:.1f} MiB"
            for role in rows if rows[role]))
    return rows


# --------------------------------------------------------------------------- report

def spread(values, scale=1.0, digits=2):
    """'median (min-max)' of values × scale."""
    values = [v * scale for v in values]
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def dist(values, digits=0):
    return (f"{percentile(values, 50):.{digits}f} / {percentile(values, 95):.{digits}f} / "
            f"{percentile(values, 99):.{digits}f} (max {max(values):.{digits}f})")


def verdict(ok):
    return "met" if ok else "**not met**"


def write_report(machine, large, small, jobs, startup, started_at, finished_at):
    lines = []
    add = lines.append
    targets = []  # (target, measured, ok)
    add("# teltubby benchmarks")
    add("")
    add(f"Produced by `make bench` ([bench/README.md](../bench/README.md)) on {started_at:%Y-%m-%d}, "
        f"{started_at:%H:%M}–{finished_at:%H:%M} UTC. Do not edit by hand: run `make bench` again.")
    add("")
    add("## Machine")
    add("")
    add("| | |")
    add("| --- | --- |")
    for name in ("cpu", "cores", "ram", "kernel", "disk"):
        add(f"| {name} | {machine[name]} |")
    add(f"| load average (1/5/15 min) at start / end | {machine['load_at_start']} / {machine['load_at_end']} |")
    add("")
    add("## Method")
    add("")
    add("- Plain optimised build (`-O2 -g1 -DNDEBUG`, no sanitizers), the S3 test server (s3rver, Node) and a "
        "private RabbitMQ started by `scripts/test-services` on loopback, all on this one machine. Every "
        "reference runs in the same `make bench` run right next to what it is compared with, so the **ratios** "
        "are the figures to read; absolute numbers move with the machine and with whatever else runs on it.")
    add("- Figures are medians with the spread (min–max) over repetitions, or p50 / p95 / p99 (and max) "
        "over messages and jobs.")
    add("- Peak RSS of a process is `ru_maxrss` from `wait4` (the process alone, not its children); idle RSS "
        "is `VmRSS` from `/proc/PID/status`.")
    add("")

    # 1. large files
    if not large:
        add("## 1. Large file after download (worker pipeline)")
        add("")
        add("Not measured in this run.")
        add("")
    else:
        add("## 1. Large file after download (worker pipeline)")
        add("")
        add("`bench/pipeline_bench large FILE` is one job through the worker's own `JobProcessor` "
            "(src/worker): a `LargeFileSource` that reads a local file in 1 MiB pieces as `TdlibFileSource` reads "
            "TDLib's finished download → spool file with SHA-256 on the way → dedup lookup in SQLite → streaming "
            "multipart upload (8 MiB parts, 2 in flight: the production defaults) → file recorded → message.json "
            "item rewritten → job COMPLETED, with events published to RabbitMQ. The file is random bytes generated "
            "for the run (page-cached: the machine has far more RAM than the file), deleted afterwards. "
            "Compared with `/usr/bin/aws s3 cp` (Debian awscli: 8 MiB parts, 10 threads) uploading the same file "
            "to the same server, and with `sha256sum` of the file (the hashing floor). Times are the whole "
            f"process's wall time for all three (teltubby's includes opening SQLite, the bucket check and the AMQP "
            f"connection; `aws` includes about {large['aws_start_seconds']:.2f} s of interpreter start).")
        add("")
        add("| size | teltubby s | teltubby MB/s | aws s3 cp s | aws MB/s | teltubby / aws throughput | "
            "sha256sum s | sha256sum MB/s | teltubby peak RSS MiB | of which anonymous / file-backed | "
            "aws peak RSS MiB | runs |")
        add("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        worst_ratio, worst_rss = None, 0
        for row in large["rows"]:
            mb = row["size"] / MB
            t, a, h = (statistics.median(row[k]) for k in ("teltubby", "aws", "sha256sum"))
            ratio = a / t  # throughput ratio = inverse time ratio
            rss = max(row["teltubby_rss"]) / 1024
            worst_ratio = ratio if worst_ratio is None else min(worst_ratio, ratio)
            worst_rss = max(worst_rss, rss)
            add(f"| {mb:.0f} MB | {spread(row['teltubby'])} | {mb / t:.0f} | {spread(row['aws'])} | {mb / a:.0f} | "
                f"**{ratio:.2f}x** | {spread(row['sha256sum'])} | {mb / h:.0f} | "
                f"{spread(row['teltubby_rss'], 1 / 1024, 1)} | "
                f"{max(row.get('teltubby_anon', [0])) / 1024:.1f} / {max(row.get('teltubby_file', [0])) / 1024:.1f} | "
                f"{spread(row['aws_rss'], 1 / 1024, 1)} | "
                f"{len(row['teltubby'])} |")
        add("")
        add("teltubby's time inside `JobProcessor::process` (median s), split into the spool phase (read, "
            "SHA-256, write the spool file) and the rest (dedup lookup, upload from the spool file, record, "
            "message.json): " + ", ".join(
                f"{row['size'] / MB:.0f} MB {statistics.median(row['teltubby_inner']):.2f} = "
                f"{statistics.median(row.get('teltubby_spool', [0])):.2f} + "
                f"{statistics.median(row['teltubby_inner']) - statistics.median(row.get('teltubby_spool', [0])):.2f}"
                for row in large["rows"]) + ".")
        add("")
        targets.append(("large file throughput >= 0.9x `aws s3 cp` (every size)", f"{worst_ratio:.2f}x (worst size)",
                        worst_ratio >= 0.9))
        worst_anon = max(max(row.get("teltubby_anon", [0])) for row in large["rows"]) / 1024
        targets.append(("worker peak RSS <= 64 MiB (every size)",
                        f"{worst_rss:.1f} MiB (largest; anonymous {worst_anon:.1f} MiB, the rest shared-library "
                        "pages)", worst_rss <= 64))

    # 2. small messages
    if not small:
        add("## 2. Small messages: update to receipt (the `teltubby bot` process)")
        add("")
        add("Not measured in this run.")
        add("")
    else:
        add("## 2. Small messages: update to receipt (the `teltubby bot` process)")
        add("")
        add("The real `teltubby bot` (long polling) against the `fake-telegram` process (rate limits off, no state "
        "directory: it keeps the world in memory), its own "
            "bucket and SQLite file, the broker running. 64 whitelisted curators each send 1 MB photos (with the "
            "two thumbnails Telegram adds) in their own private chat through `POST /control/send`; the latency is "
            "from just before that request to the `at_ms` the fake world stamps on the bot's receipt "
            "(`sendMessage`) in the chat's outbox — both on this machine's clock. The bot is restarted for each "
            "`CONCURRENCY` (1, 8, 32). Three loads per setting:")
        add("")
        add("- **one at a time**: send, wait for the receipt, next;")
        add("- **paced**: messages arrive at a fixed rate whatever the bot does (open loop), below the bot's own "
            "send budget;")
        add("- **burst**: all messages at once; *receipts/s* is messages over the time from the first send to the "
            "last receipt, *archived/s* the same up to the bot's `teltubby_ingested_messages_total` counting them "
            "all (polled every 20 ms) — i.e. without waiting for receipts.")
        add("")
        add("The bot's governor sends at most 27 messages/s overall and about 1/s per chat with a burst of 3 "
            "(Telegram's limits: src/bot/outbox.cpp), one receipt per message, so **receipts/s cannot exceed "
            "27/s** whatever the pipeline does. The raw PUT rate is the same number of 1 MB objects PUT with "
            "botocore, as many in flight as `CONCURRENCY`, to the same S3 server.")
        add("")
        add("| CONCURRENCY | one at a time p50 / p95 / p99 ms | paced (rate) p50 / p95 / p99 ms | "
            "burst p50 / p95 / p99 ms | burst receipts/s | burst archived/s | raw PUT/s (p50 ms) | "
            "receipts / raw PUT | archived / raw PUT |")
        add("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for row in small:
            raw = row["raw_put"]["per_second"]
            burst = row["burst"]
            archived = burst["archived_per_second"]
            add(f"| {row['concurrency']} | {dist(row['sequential'])} | {dist(row['paced']['latencies'])} "
                f"({row['paced']['rate']:.0f}/s, n={len(row['paced']['latencies'])}) | {dist(burst['latencies'])} "
                f"(n={len(burst['latencies'])}) | {burst['receipts_per_second']:.1f} | "
                f"{archived:.1f} | {raw:.1f} ({row['raw_put']['p50_ms']:.0f}) | "
                f"{burst['receipts_per_second'] / raw:.2f}x | {archived / raw:.2f}x |"
                if archived else
                f"| {row['concurrency']} | {dist(row['sequential'])} | {dist(row['paced']['latencies'])} | "
                f"{dist(burst['latencies'])} | {burst['receipts_per_second']:.1f} | n/a | {raw:.1f} | "
                f"{burst['receipts_per_second'] / raw:.2f}x | n/a |")
        add("")
        add("Bot RSS after each run (MiB, current / peak): " + ", ".join(
            f"CONCURRENCY {row['concurrency']}: {row['idle_rss_kib_after'] / 1024:.1f} / {row['peak_rss_kib'] / 1024:.1f}"
            for row in small) + ".")
        add("")
        at8 = next(row for row in small if row["concurrency"] == 8)
        p99_paced = percentile(at8["paced"]["latencies"], 99)
        p99_burst = percentile(at8["burst"]["latencies"], 99)
        targets.append(("receipt p99 <= 200 ms at CONCURRENCY 8", f"{p99_paced:.0f} ms paced at "
                        f"{at8['paced']['rate']:.0f}/s; {p99_burst:.0f} ms in a burst", p99_paced <= 200))
        best = max(small, key=lambda r: r["burst"]["receipts_per_second"] / r["raw_put"]["per_second"])
        receipts_ratio = best["burst"]["receipts_per_second"] / best["raw_put"]["per_second"]
        archived_ratio = ((best["burst"]["archived_per_second"] or 0) / best["raw_put"]["per_second"])
        targets.append(("sustained rate >= 0.7x raw PUT rate",
                        f"receipts {receipts_ratio:.2f}x, archived {archived_ratio:.2f}x (CONCURRENCY "
                        f"{best['concurrency']})", receipts_ratio >= 0.7))

    # 3. jobs
    if not jobs:
        add("## 3. Job path (bot enqueue, worker pickup)")
        add("")
        add("Not measured in this run.")
        add("")
    else:
        add("## 3. Job path (bot enqueue, worker pickup)")
        add("")
        enqueue = jobs["enqueue"]
        add(f"`bench/pipeline_bench jobs {enqueue['count']}`: enqueueing as the bot does it — the PENDING row "
            "(`SqliteStore::create_job`), then `jobs::publish_job` (persistent publish, wait for the publisher "
            "confirm, row marked published) — one thread, back to back, nobody consuming. Then the worker's "
            "`JobConsumer` (priority queue first, basic.get) takes and acks them all (drain). Then enqueue-to-"
            "pickup latency with an idle consumer and jobs arriving at random 5–50 ms gaps: from the start of the "
            "enqueue to `JobConsumer::next` returning the job, with the production poll interval (200 ms between "
            "basic.get rounds when the queues are empty) and with 10 ms.")
        add("")
        add("| measure | result |")
        add("| --- | --- |")
        add(f"| enqueued with confirms | **{enqueue['jobs_per_second']:.0f} jobs/s** "
            f"({enqueue['count']} in {enqueue['seconds']:.2f} s) |")
        add(f"| one enqueue p50 / p95 / p99 (max) | {enqueue['p50_ms']:.2f} / {enqueue['p95_ms']:.2f} / "
            f"{enqueue['p99_ms']:.2f} ({enqueue['max_ms']:.2f}) ms |")
        add(f"| drained (take + ack) | {jobs['drain']['jobs_per_second']:.0f} jobs/s |")
        for key, label in (("pickup_default", "enqueue-to-pickup, poll 200 ms (production)"),
                           ("pickup_poll_10ms", "enqueue-to-pickup, poll 10 ms")):
            p = jobs[key]
            add(f"| {label}, p50 / p95 / p99 (max), n={p['n']} | {p['p50_ms']:.1f} / {p['p95_ms']:.1f} / "
                f"{p['p99_ms']:.1f} ({p['max_ms']:.1f}) ms |")
        add(f"| peak RSS of the bench process | {jobs['self_max_rss_kib'] / 1024:.1f} MiB |")
        add("")
        targets.append((">= 500 jobs/s enqueued with confirms", f"{enqueue['jobs_per_second']:.0f} jobs/s",
                        enqueue["jobs_per_second"] >= 500))
        targets.append(("enqueue-to-pickup p50 <= 20 ms", f"{jobs['pickup_default']['p50_ms']:.1f} ms "
                        f"(production poll); {jobs['pickup_poll_10ms']['p50_ms']:.1f} ms with a 10 ms poll",
                        jobs["pickup_default"]["p50_ms"] <= 20))

    # 4. start-up
    if not startup:
        add("## 4. Start-up time and idle RSS")
        add("")
        add("Not measured in this run.")
        add("")
    else:
        add("## 4. Start-up time and idle RSS")
        add("")
        add("Each process is started fresh (new SQLite file, new bucket, the broker up) against its own "
            "`fake-telegram`; start-up is from `exec` until `GET /healthz` answers 200 (polled every 5 ms); idle "
            "RSS is read 5 s later. The worker uses the stand-in libtdjson (tests/fakes/tdjson) and its account is "
            "not logged in (it waits for a login code, asking the admins through the broker) — the state a fresh "
            "worker idles in. TDLib's own memory: the resident size of the `libtdjson` mappings, and a second "
            "worker run with the real TDLib (node_modules/@prebuilt-tdlib; no network here, so it idles trying "
            "to reach Telegram), whose heap is in the process's RSS too.")
        add("")
        add("| process | ready s | idle RSS MiB | of which libtdjson mapped MiB | runs |")
        add("| --- | --- | --- | --- | --- |")
        names = {"bot": "`teltubby bot`", "worker": "`teltubby worker` (stand-in libtdjson)",
                 "worker_real_tdlib": "`teltubby worker` (real TDLib)"}
        for role, rows in startup.items():
            if not rows:
                continue
            add(f"| {names[role]} | {spread([r['ready_seconds'] for r in rows], 1, 3)} | "
                f"{spread([r['rss_kib'] for r in rows], 1 / 1024, 1)} | "
                f"{spread([r['tdjson_kib'] for r in rows], 1 / 1024, 1)} | {len(rows)} |")
        add("")
        for role in ("bot", "worker"):
            rows = startup[role]
            ready = max(r["ready_seconds"] for r in rows)
            rss = statistics.median(r["rss_kib"] for r in rows) / 1024
            targets.append((f"{role} ready <= 1 s", f"{ready:.3f} s (slowest run)", ready <= 1))
            targets.append((f"{role} idle RSS <= 32 MiB", f"{rss:.1f} MiB (median)", rss <= 32))

    findings = os.path.join(SOURCE_DIR, "bench", "findings.md")
    if os.path.exists(findings):
        # Hand-written analysis (profiles, experiments); its figures are from the runs it names.
        with open(findings) as handle:
            add(handle.read().rstrip())
            add("")

    summary = ["## Targets", "", "| target | measured | |", "| --- | --- | --- |"]
    summary += [f"| {t} | {m} | {verdict(ok)} |" for t, m, ok in targets]
    summary.append("")
    position = lines.index("## Method")
    lines[position:position] = summary
    with open(ARGS.out, "w") as handle:
        handle.write("\n".join(lines).rstrip() + "\n")


def main():
    global ARGS, PIPELINE_BENCH, TELTUBBY, FAKE_TELEGRAM, STAND_IN_TDJSON, REAL_TDJSON
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", required=True, help="the plain build directory")
    parser.add_argument("--services-env", required=True, help="the env file scripts/test-services wrote")
    parser.add_argument("--work", required=True, help="scratch directory (large files go here)")
    parser.add_argument("--out", required=True, help="the Markdown report to write")
    parser.add_argument("--quick", action="store_true", help="fewer and smaller runs (a smoke test)")
    parser.add_argument("--only", default="large,small,jobs,startup", help="comma-separated subset")
    ARGS = parser.parse_args()
    build = os.path.abspath(ARGS.build)
    PIPELINE_BENCH = os.path.join(build, "bench", "pipeline_bench")
    TELTUBBY = os.path.join(build, "src", "app", "teltubby")
    FAKE_TELEGRAM = os.path.join(build, "tests", "fakes", "world", "fake-telegram")
    STAND_IN_TDJSON = os.path.join(build, "tests", "fakes", "tdjson", "libtdjson.so")
    REAL_TDJSON = os.path.join(SOURCE_DIR, "node_modules", "@prebuilt-tdlib", "linux-x64-glibc", "libtdjson.so")
    os.makedirs(ARGS.work, exist_ok=True)
    services = read_env_file(ARGS.services_env)
    only = ARGS.only.split(",")
    started_at = datetime.datetime.now(datetime.timezone.utc)
    machine = machine_description()
    raw_path = os.path.join(ARGS.work, "results.json")
    results = {}
    if os.path.exists(raw_path) and ARGS.only != parser.get_default("only"):
        with open(raw_path) as handle:
            results = json.load(handle)  # a partial re-run keeps the other sections
    for name, function in (("large", bench_large), ("small", bench_small), ("jobs", bench_jobs),
                           ("startup", bench_startup)):
        if name in only:
            log(f"--- {name}")
            results[name] = function(services)
            with open(raw_path, "w") as handle:
                json.dump(results, handle)
    machine["load_at_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    write_report(machine, results.get("large"), results.get("small"), results.get("jobs"), results.get("startup"),
                 started_at,
                 datetime.datetime.now(datetime.timezone.utc))
    log(f"wrote {ARGS.out}")


if __name__ == "__main__":
    main()
