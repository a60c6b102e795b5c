"""Fault injection for bench/faults: learners play honestly through the public API and keep their
own ledger of what the server acknowledged; faults are injected; after each scenario the flush is
awaited and the ledger reconciled against PostgreSQL in SQL. Run through bench/faults."""
import argparse
import atexit
import datetime
import hashlib
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

ARGS = None
STREAM, GROUP = "learning:events", "flushers"
# The shards' streams (HotPath.SHARDS) and the unsharded one of earlier versions, which the
# flusher still reads: events replayed here are written there.
STREAMS = ["%s:{h%d}" % (STREAM, i) for i in range(16)] + [STREAM]


def say(*parts):
    print("[faults]", *parts, flush=True)


# ------------------------------------------------------------------ Redis, PostgreSQL, processes
class Redis:
    """A minimal RESP client (the bench needs no Python packages)."""

    def __init__(self, port, db):
        self.port, self.db, self.sock = port, db, None

    def _connect(self):
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        self.file = self.sock.makefile("rb")
        if self.db is not None:
            self._send("SELECT", str(self.db))
            self._read()

    def _send(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(out)

    def _read(self):
        line = self.file.readline()
        if not line:
            raise ConnectionError("redis closed the connection")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.file.read(n + 2)[:-2]
            return data.decode()
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._read() for _ in range(n)]
        raise RuntimeError("unexpected reply %r" % line)

    def __call__(self, *args):
        for attempt in range(2):
            try:
                if self.sock is None:
                    self._connect()
                self._send(*args)
                return self._read()
            except (OSError, ConnectionError):
                self.close()
                if attempt:
                    raise

    def close(self):
        if self.sock:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock = None

    def pending(self, consumer=None):
        total = 0
        for stream in STREAMS:
            try:
                if consumer:
                    total += len(self("XPENDING", stream, GROUP, "-", "+", "100000", consumer) or [])
                else:
                    summary = self("XPENDING", stream, GROUP)
                    total += summary[0] if summary else 0
            except RuntimeError:
                pass  # no stream or group yet
        return total

    def lag(self):
        """Entries not yet delivered to the group, counted after its last-delivered id (XINFO's own
        lag field can stay stale after a trim or a slot migration)."""
        total = 0
        for stream in STREAMS:
            try:
                for g in self("XINFO", "GROUPS", stream):
                    info = dict(zip(g[0::2], g[1::2]))
                    if info.get("name") == GROUP:
                        total += len(self("XRANGE", stream, "(" + info["last-delivered-id"], "+", "COUNT", "100000") or [])
            except RuntimeError:
                pass
        return total


class ClusterRedis(Redis):
    """The same client against the local Redis Cluster: each command goes to the node that holds
    its key, following MOVED and ASK, and to another node while one is dead or frozen."""

    def __init__(self, ports):
        self.ports, self.nodes, self.sock, self.db = list(ports), {}, None, 0

    def node(self, port):
        if port not in self.nodes:
            self.nodes[port] = Redis(port, None)
        return self.nodes[port]

    def __call__(self, *args):
        if str(args[0]).upper() == "DEL" and len(args) > 2:
            return sum(self("DEL", key) for key in args[1:])  # keys of other slots, one at a time
        port, asking = self.ports[0], False
        for attempt in range(40):
            node = self.node(port)
            try:
                if asking:
                    node("ASKING")
                return node(*args)
            except RuntimeError as e:
                message = str(e)
                if message.startswith(("MOVED", "ASK")):
                    port, asking = int(message.split()[2].rsplit(":", 1)[1]), message.startswith("ASK")
                    continue
                if message.startswith(("TRYAGAIN", "CLUSTERDOWN", "LOADING")):
                    time.sleep(0.1)
                    continue
                raise
            except (OSError, ConnectionError):
                node.close()
                port = self.ports[(self.ports.index(port) + 1) % len(self.ports)] if port in self.ports else self.ports[0]
                time.sleep(0.1)
        raise RuntimeError("no node of the cluster answered %s" % (args,))

    def close(self):
        for node in self.nodes.values():
            node.close()

    def masters(self):
        """{port: (node id, [slot ranges])} of the masters, as the cluster says."""
        out = {}
        for line in self("CLUSTER", "NODES").splitlines():
            f = line.split()
            if "master" in f[2] and "fail" not in f[2]:
                out[int(f[1].split("@")[0].rsplit(":", 1)[1])] = (f[0], f[8:])
        return out

    def owner(self, slot):
        for port, (_, ranges) in self.masters().items():
            for r in ranges:
                if r.startswith("["):
                    continue
                lo, _, hi = r.partition("-")
                if int(lo) <= slot <= int(hi or lo):
                    return port
        return None

    def ok(self):
        try:
            return "cluster_state:ok" in self("CLUSTER", "INFO")
        except RuntimeError:
            return False


def psql(sql, db=None):
    cmd = ["psql", "-h", "127.0.0.1", "-p", ARGS.pg_port, "-U", ARGS.pg_user, "-d", db or ARGS.db, "-qtAX",
           "-v", "ON_ERROR_STOP=1", "-c", sql]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit("[faults] psql failed: %s\n%s" % (done.stderr.strip(), sql[:500]))
    return done.stdout.strip()


def pg_admin(sql):
    return subprocess.run(["su", "postgres", "-c", "psql -qtAX -v ON_ERROR_STOP=1 -d postgres -c \"%s\"" % sql],
                          check=True, capture_output=True, text=True).stdout.strip()


STARTED = []   # every API process, killed when the bench exits however it exits
FROZEN = set()  # processes stopped with SIGSTOP, continued on exit


def cleanup():
    signal_all(FROZEN, signal.SIGCONT)
    for p in STARTED:
        if p.poll() is None:
            p.kill()
    if ARGS is not None and subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", ARGS.pg_port]).returncode != 0:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", ARGS.pg_version, "main", "start"])


atexit.register(cleanup)


class Api:
    """One replica of the API, from the dev build, on its own port."""

    def __init__(self, port, db=None, env=None):
        self.port, self.db, self.env, self.proc, self.starts = port, db or ARGS.db, env or {}, None, 0

    def start(self, wait=True):
        self.starts += 1
        log = open(os.path.join(ARGS.work, "api-%d-%d.log" % (self.port, self.starts)), "w")
        env = dict(os.environ)
        pg = "127.0.0.1:%s/%s" % (ARGS.pg_port, self.db)
        env.update({
            "QUARKUS_HTTP_PORT": str(self.port),
            # Health and metrics are on the management interface: its own port per replica.
            "QUARKUS_MANAGEMENT_PORT": str(self.port + 2000),
            "_DEV_QUARKUS_DATASOURCE_REACTIVE_URL": "postgresql://" + pg,
            "_DEV_QUARKUS_DATASOURCE_JDBC_URL": "jdbc:postgresql://" + pg,
            "_DEV_QUARKUS_REDIS_HOSTS": "redis://127.0.0.1:%s/%s" % (ARGS.redis_port, ARGS.redis_db),
            "HONGTONG_CATALOG_DEMO_SEED": "false", "HONGTONG_MEDIA_PROCESSING_ENABLED": "false",
            "HONGTONG_LEARNING_HEARTBEATS_PER_SESSION_PER_MINUTE": "100000",
            "HONGTONG_LEARNING_HEARTBEATS_PER_LEARNER_PER_MINUTE": "100000",
            "HONGTONG_IDENTITY_LOGIN_LIMITS_PER_ADDRESS": "100000000",
            "HONGTONG_IDENTITY_LOGIN_LIMITS_GLOBAL": "100000000",
            # Dependency gauges refreshed every second, so that a short outage shows in them.
            "HONGTONG_HEALTH_DEPENDENCY_INTERVAL": "1s",
            # A dead replica's entries are claimed after 10 s instead of 60 s, to keep the run short.
            "HONGTONG_LEARNING_FLUSHER_RECLAIM_AFTER": "10s",
            "QUARKUS_LOG_CONSOLE_LEVEL": "WARN",
        })
        if ARGS.redis_cluster:
            # The cluster client, and acknowledged means a replica has it (hongtong.learning.durability).
            env.update({"_DEV_QUARKUS_REDIS_HOSTS": ",".join("redis://127.0.0.1:%d" % p for p in cluster_ports()[:3]),
                        "HONGTONG_LEARNING_DURABILITY_REPLICAS": "1"})
            env.update(cluster_client_settings())
        env.update(self.env)
        self.proc = subprocess.Popen(["java", "-Xmx512m", "-Dquarkus.profile=dev", "-jar", ARGS.jar],
                                     stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        STARTED.append(self.proc)
        if wait:
            self.wait_ready()
        return self

    def ready(self):
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port + 2000, timeout=3)
            c.request("GET", "/q/health/ready")
            r = c.getresponse()
            body = r.read()
            return r.status == 200, body
        except OSError:
            return False, b""

    def dependency_up(self, dependency):
        """The gauge hongtong_dependency_up of a dependency (1.0 or 0.0), None when unreadable."""
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port + 2000, timeout=3)
            c.request("GET", "/q/metrics")
            text = c.getresponse().read().decode()
        except OSError:
            return None
        m = re.search(r'^hongtong_dependency_up\{dependency="%s"[^}]*\} ([0-9.]+)' % re.escape(dependency), text, re.M)
        return float(m.group(1)) if m else None

    def wait_ready(self, limit=180):
        end = time.time() + limit
        while time.time() < end:
            if self.ready()[0]:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise SystemExit("[faults] the API on :%d did not become ready (log in %s)" % (self.port, ARGS.work))

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def terminate(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(60)

    def consumer(self):
        return "flusher-%s:%d" % (socket.gethostname(), self.port)


# ------------------------------------------------------------------ the load client
def call(port, method, path, body=None, token=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    try:
        c.request(method, path, None if body is None else json.dumps(body), headers)
        r = c.getresponse()
        data = r.read()
        return r.status, r.getheader("Content-Type") or "", data
    finally:
        c.close()


class Stats:
    """What every request answered, for the scenario's report."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_status = {}
        self.heartbeats_by_status = {}   # the answers to heartbeats alone
        self.inflight = 0
        self.bad = []   # 5xx that are not 503 problem+json, or 2xx without a body we can read

    def count(self, key, heartbeat=False):
        with self.lock:
            self.by_status[key] = self.by_status.get(key, 0) + 1
            if heartbeat:
                self.heartbeats_by_status[key] = self.heartbeats_by_status.get(key, 0) + 1


class Player(threading.Thread):
    """One learner: logs in, plays lessons in real time, sends a heartbeat every --tick seconds
    with the intervals played since the last acknowledged one, resends what was not acknowledged,
    and keeps the last acknowledged credit of every session (its ledger)."""

    def __init__(self, n, ports, lessons, stats, stop):
        super().__init__(daemon=True)
        self.n, self.ports, self.lessons, self.stats, self.stop_at = n, ports, lessons, stats, stop
        self.port_index = n % len(ports)
        self.acked = {}          # session id -> credited ms acknowledged
        self.heartbeats_acked = 0
        self.token = None

    def port(self):
        return self.ports[self.port_index % len(self.ports)]

    def request(self, method, path, body=None, token=None):
        """Returns (status, json) or (None, None) when no answer came; fails over between replicas."""
        with self.stats.lock:
            self.stats.inflight += 1
        started = time.time()
        try:
            status, ctype, data = call(self.port(), method, path, body, token)
        except (OSError, http.client.HTTPException) as e:
            if SIGTERM_AT[0] is not None and started < SIGTERM_AT[0] and e.__class__ is not ConnectionRefusedError:
                # Sent before the replica was asked to stop, and never answered: graceful shutdown failed it.
                self.stats.bad.append("%s %s sent before SIGTERM got no answer (%s)" % (method, path, e))
            self.stats.count("no answer", path.endswith("/heartbeats"))
            self.port_index += 1
            return None, None
        finally:
            with self.stats.lock:
                self.stats.inflight -= 1
        self.stats.count(status, path.endswith("/heartbeats"))
        if status >= 500 and (status != 503 or "application/problem+json" not in ctype):
            self.stats.bad.append("%s %s -> %d %s" % (method, path, status, data[:200]))
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            if 200 <= status < 300:
                self.stats.bad.append("%s %s -> %d unreadable" % (method, path, status))
            return status, None

    def login(self):
        while not self.stop_at.is_set():
            status, body = self.request("POST", "/api/v1/auth/wechat/mini-program", {"code": "demo-%d" % self.n})
            if status == 200:
                self.token = body["accessToken"]
                return True
            time.sleep(1)
        return False

    def run(self):
        time.sleep(random.Random(self.n).random() * ARGS.tick)
        if not self.login():
            return
        for lesson_index in range(len(self.lessons)):
            lesson, duration = self.lessons[(lesson_index + self.n) % len(self.lessons)]
            if not self.play(lesson, duration):
                return

    def play(self, lesson, duration):
        session = None
        while session is None:
            if self.stop_at.is_set():
                return False
            status, body = self.request("POST", "/api/v1/sessions",
                                        {"lessonId": lesson, "deviceId": "faults-%d" % self.n, "client": "app"},
                                        self.token)
            if status == 201:
                session = body["sessionId"]
            else:
                time.sleep(1)
        self.acked[session] = 0
        seq, position, pending = 0, 0.0, []
        last = time.monotonic()
        ended = False
        while True:
            stopping = self.stop_at.is_set()
            now = time.monotonic()
            if not ended:
                advance = min(now - last, duration - position)
                if advance > 0:
                    pending.append([round(position, 3), round(position + advance, 3)])
                    position += advance
                ended = position >= duration - 1e-6 or stopping
            last = now
            if len(pending) > 48:  # an outage: contiguous intervals merge into one
                pending = [[pending[0][0], pending[-1][1]]]
            seq += 1
            state = "ended" if ended else "playing"
            status, ack = self.request("POST", "/api/v1/sessions/%s/heartbeats" % session,
                                       {"seq": seq, "position": round(position, 3), "rate": 1, "state": state,
                                        "played": pending}, self.token)
            if status == 200 and ack and ack.get("ackSeq") == seq:
                self.acked[session] = round(ack["session"]["creditedSeconds"] * 1000)
                self.heartbeats_acked += 1
                pending = []
                if ended:
                    return not stopping
            elif status == 404:
                return False
            if ended and stopping and time.monotonic() > self.final_deadline():
                return False
            time.sleep(max(0.05, ARGS.tick - (time.monotonic() - now)))

    def final_deadline(self):
        return self.stop_time + 120


class Load:
    def __init__(self, name, ports, lessons, learners, first_code):
        self.stats = Stats()
        self.stop = threading.Event()
        self.players = [Player(first_code + i, ports, lessons, self.stats, self.stop) for i in range(learners)]
        self.name = name

    def start(self):
        for p in self.players:
            p.start()
        return self

    def acked(self):
        return sum(p.heartbeats_acked for p in self.players)

    def wait_playing(self, limit=120):
        end = time.time() + limit
        while time.time() < end:
            if sum(p.heartbeats_acked > 0 for p in self.players) == len(self.players):
                return
            time.sleep(0.5)
        raise SystemExit("[faults] %s: not every learner got an acknowledged heartbeat" % self.name)

    def finish(self):
        """Stops playing: every session sends its last heartbeat until acknowledged."""
        now = time.monotonic()
        for p in self.players:
            p.stop_time = now
        self.stop.set()
        for p in self.players:
            p.join(180)



# ------------------------------------------------------------------ reconciliation
def learner_ids(players, db=None):
    """The learners' ids, from their sessions (the client knows its session ids, not learner ids)."""
    sessions = [s for p in players for s in p.acked]
    rows = psql("SELECT id, learner_id FROM learning_session WHERE id IN (%s)" % ",".join("'%s'" % s for s in sessions), db)
    return dict(line.split("|") for line in rows.splitlines())


def reconcile(players, redis, db=None, limit=180):
    """Waits for the flush, then compares the client's ledger with PostgreSQL per learner."""
    owner = learner_ids(players, db)
    expected = {}
    for p in players:
        for s, ms in p.acked.items():
            expected[owner[s]] = expected.get(owner[s], 0) + ms
    ids = ",".join("'%s'" % l for l in expected)
    end = time.time() + limit
    while True:
        stored = dict((l, int(v)) for l, v in (line.split("|") for line in psql(
            "SELECT learner_id, sum(credited_ms) FROM hours_ledger WHERE learner_id IN (%s) GROUP BY 1" % ids,
            db).splitlines() if line))
        drained = redis is None or (redis.lag() == 0 and redis.pending() == 0)
        if (drained and all(stored.get(l, 0) == e for l, e in expected.items())) or time.time() > end:
            break
        time.sleep(0.5)
    lost = sum(max(0, e - stored.get(l, 0)) for l, e in expected.items())
    doubled = sum(max(0, stored.get(l, 0) - e) for l, e in expected.items())
    # The same seconds in the session totals and the statistics rollup as in the ledger.
    consistency = psql("""
        SELECT (SELECT coalesce(sum(credited_ms), 0) FROM learning_session WHERE learner_id IN (%s)),
               (SELECT coalesce(sum(d.credited_ms), 0) FROM session_day d JOIN learning_session s ON s.id = d.session_id
                WHERE s.learner_id IN (%s))""" % (ids, ids), db).split("|")
    total = sum(stored.values())
    return {"expected": sum(expected.values()), "stored": total, "lost": lost, "doubled": doubled,
            "sessions_total": int(consistency[0]), "session_days_total": int(consistency[1])}


RESULTS = []
SIGTERM_AT = [None]


def report(name, load, result, recovery, note=""):
    acked = load.acked()
    ok = (result["lost"] == 0 and result["doubled"] == 0 and not load.stats.bad
          and result["sessions_total"] == result["stored"] == result["session_days_total"])
    RESULTS.append((name, acked, result["expected"], result["stored"], result["lost"], result["doubled"], recovery,
                    "pass" if ok else "FAIL", note))
    say("%s: %d heartbeats acknowledged, expected %.3f s, PostgreSQL %.3f s, lost %.3f s, doubled %.3f s, recovery %s; %s"
        % (name, acked, result["expected"] / 1000, result["stored"] / 1000, result["lost"] / 1000,
           result["doubled"] / 1000, recovery, "pass" if ok else "FAIL"))
    if load.stats.bad:
        say("  unexpected answers (%d), first: %s" % (len(load.stats.bad), load.stats.bad[0]))
    if not result["sessions_total"] == result["stored"] == result["session_days_total"]:
        say("  ledger %d ms, session totals %d ms, session days %d ms disagree"
            % (result["stored"], result["sessions_total"], result["session_days_total"]))
    say("  answers: %s" % ", ".join("%s x%d" % (k, v) for k, v in sorted(load.stats.by_status.items(), key=str)))


# ------------------------------------------------------------------ scenarios
def until(predicate, limit, step=0.005):
    end = time.time() + limit
    while time.time() < end:
        if predicate():
            return True
        time.sleep(step)
    return False


def since(t):
    return "%.1f s" % (time.time() - t)


class Scenario:
    def __init__(self, number, name, ports=None):
        self.number, self.name = number, name
        self.redis = redis_client()
        self.ports = ports or [ARGS.port]
        self.learners = ARGS.learners

    def load(self):
        return Load(self.name, self.ports, LESSONS, self.learners, 1000 * self.number + 1).start()

    def begin(self):
        """One replica and the learners, playing for --warm seconds."""
        api = Api(ARGS.port).start()
        load = self.load()
        load.wait_playing()
        time.sleep(ARGS.warm)
        return api, load

    def await_batch(self, consumer):
        """Returns once the consumer holds entries read and not acknowledged (a flush under way)."""
        if not until(lambda: self.redis.pending(consumer) > 0, 60, 0.001):
            raise SystemExit("[faults] never saw %s with a batch in hand" % consumer)

    @staticmethod
    def await_inflight(load):
        """Returns how many requests are in flight once there are at least three."""
        if not until(lambda: load.stats.inflight >= 3, 60, 0.001):
            raise SystemExit("[faults] never saw requests in flight")
        return load.stats.inflight

    def end(self, api, load, recovery, note):
        """Plays --after seconds more, stops the learners, reconciles, stops the replica."""
        time.sleep(ARGS.after)
        load.finish()
        report(self.name, load, reconcile(load.players, self.redis), recovery, note)
        api.terminate()


def s1_kill_api_mid_flush():
    sc = Scenario(1, "1 kill -9 API mid-flush")
    api, load = sc.begin()
    sc.await_batch(api.consumer())
    api.kill9()
    t = time.time()
    say("killed the API with %d entries read and not acknowledged" % sc.redis.pending(api.consumer()))
    api.start()
    until(lambda: sc.redis.pending(api.consumer()) == 0, 120, 0.05)
    recovery = since(t)
    sc.end(api, load, recovery, "restarted replica took up its own pending entries")


def s2_kill_api_in_flight():
    sc = Scenario(2, "2 kill -9 API, requests in flight")
    api, load = sc.begin()
    inflight = sc.await_inflight(load)
    api.kill9()
    t = time.time()
    say("killed the API with %d requests in flight" % inflight)
    api.start()
    acked = load.acked()
    until(lambda: load.acked() > acked + sc.learners, 60, 0.05)
    recovery = since(t)
    sc.end(api, load, recovery, "%d requests in flight" % inflight)


def s3_kill_redis():
    sc = Scenario(3, "3 kill -9 Redis (AOF everysec)")
    api, load = sc.begin()
    pid = int(open(os.path.join(ARGS.stack_run, "redis.pid")).read().strip())
    os.kill(pid, signal.SIGKILL)
    t = time.time()
    say("killed Redis (pid %d)" % pid)
    until(lambda: not os.path.exists("/proc/%d" % pid), 10, 0.05)
    subprocess.run([ARGS.stack, "up", "redis"], check=True, stdout=subprocess.DEVNULL)
    sc.redis.close()
    acked = load.acked()
    until(lambda: api.ready()[0] and load.acked() > acked + sc.learners, 60, 0.05)
    recovery = since(t)
    sc.end(api, load, recovery, "appendfsync everysec, process killed")


def pg_ctl(action, *extra):
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", ARGS.pg_version, "main", action] + list(extra),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def s4_stop_postgres_mid_flush():
    sc = Scenario(4, "4 PostgreSQL stopped mid-flush")
    api, load = sc.begin()
    sc.await_batch(api.consumer())
    pg_ctl("stop", "-m", "immediate")
    say("stopped PostgreSQL (immediate) with %d entries in hand; down for %d s" % (sc.redis.pending(api.consumer()), ARGS.pg_down))
    time.sleep(ARGS.pg_down)
    pg_ctl("start")
    t = time.time()
    until(lambda: api.ready()[0] and sc.redis.pending() == 0 and sc.redis.lag() == 0, 120, 0.05)
    recovery = since(t)
    sc.end(api, load, recovery, "down %d s; heartbeats kept in Redis meanwhile" % ARGS.pg_down)


AGGREGATES = [
    ("hours_ledger", "learner_id, lesson_id, course_id, day, watch_ms, credited_ms"),
    ("session_day", "session_id, day, watch_ms, credited_ms"),
    ("learning_session", "id, last_seq, position_ms, watch_ms, credited_ms, ended_at IS NOT NULL"),
    ("lesson_progress", "learner_id, lesson_id, covered, covered_ms, position_ms, completed_on"),
    ("course_completion", "learner_id, course_id, day"),
    ("stats_daily", "grain, day, course_id, region_code, institution_id, profession, watch_ms, credited_ms, "
                    "lesson_completions, course_completions, day_learners, week_learners, month_learners"),
    ("learner_period", "kind, start, learner_id"),
    ("learner_activity", "learner_id, region_code, institution_id, profession, days"),
    ("course_activity", "course_id, learner_id, region_code, institution_id, profession, days"),
]


def snapshot(db, label):
    """Every aggregate table, sorted; kept in the work directory for a diff when they differ."""
    out = {}
    for table, columns in AGGREGATES:
        rows = psql("SELECT %s FROM %s ORDER BY %s" % (columns, table, columns.replace(" IS NOT NULL", "")), db)
        with open(os.path.join(ARGS.work, "replay-%s-%s.txt" % (label, table)), "w") as f:
            f.write(rows + "\n")
        out[table] = (len(rows.splitlines()) if rows else 0, hashlib.sha256(rows.encode()).hexdigest())
    return out


def replay(events, db, redis):
    """Puts events into an empty stream, starts a replica with its flusher on `db`, waits until drained."""
    redis("DEL", *STREAMS)
    for fields in events:
        redis("XADD", STREAM, "*", *fields)
    api = Api(ARGS.port, db=db).start()
    until(lambda: redis.pending() == 0 and redis.lag() == 0, 180, 0.1)
    time.sleep(1)
    api.terminate()


def s5_replay():
    sc = Scenario(5, "5 replay: duplicates, shuffled, 24 h late")
    # The traffic: played live with the flusher off, so the stream keeps every event.
    sc.redis("DEL", *STREAMS)
    api = Api(ARGS.port, env={"HONGTONG_LEARNING_FLUSHER_ENABLED": "false"}).start()
    load = sc.load()
    load.wait_playing()
    time.sleep(ARGS.replay_play)  # long enough for the short course to be completed
    load.finish()
    api.terminate()
    events = [list(e[1]) for stream in STREAMS for e in (sc.redis("XRANGE", stream, "-", "+") or [])]
    rng = random.Random(ARGS.seed)
    sessions = sorted({dict(zip(f[0::2], f[1::2]))["session"] for f in events})
    late = set(rng.sample(sessions, max(1, len(sessions) // 5)))
    for f in events:  # a fifth of the sessions were played yesterday
        d = dict(zip(f[0::2], f[1::2]))
        if d["session"] in late:
            i = f.index("at")
            f[i + 1] = str(int(f[i + 1]) - 86_400_000)
            i = f.index("day")
            f[i + 1] = (datetime.date.fromisoformat(f[i + 1]) - datetime.timedelta(days=1)).isoformat()
    at = lambda f: int(f[f.index("at") + 1])
    clean = sorted(events, key=at)
    dupes = [rng.choice(events) for _ in range(len(events) // 10)]
    messy = [f for f in events + dupes if dict(zip(f[0::2], f[1::2]))["session"] not in late]
    rng.shuffle(messy)
    yesterday = [f for f in events + dupes if dict(zip(f[0::2], f[1::2]))["session"] in late]
    rng.shuffle(yesterday)
    messy += yesterday  # yesterday's plays arrive after everything of today
    other = ARGS.db + "_replay"
    pg_admin("DROP DATABASE IF EXISTS %s" % other)
    pg_admin("CREATE DATABASE %s TEMPLATE %s OWNER %s" % (other, ARGS.db, ARGS.pg_user))
    say("%d events of %d sessions (%d played yesterday): in order into %s; with %d duplicates, shuffled, "
        "yesterday's last into %s" % (len(events), len(sessions), len(late), ARGS.db, len(dupes), other))
    replay(clean, ARGS.db, sc.redis)
    replay(messy, other, sc.redis)
    a, b = snapshot(ARGS.db, "in-order"), snapshot(other, "messy")
    differ = [t for t in a if a[t] != b[t]]
    rows = sum(n for n, _ in a.values())
    completions = psql("SELECT count(*) FROM course_completion")
    say("course completions: %s; rows per table: %s" % (completions, ", ".join("%s %d" % (t, a[t][0]) for t in a)))
    if differ:
        load.stats.bad.append("aggregates differ between the clean and the messy replay: " + ", ".join(differ))
    for label, db in (("in order", None), ("messy", other)):
        report("%s (%s)" % (sc.name, label), load, reconcile(load.players, None, db, 10),
               "-", "%d tables, %d rows %s" % (len(a), rows, "identical" if not differ else "DIFFER: " + ", ".join(differ)))
    sc.redis("DEL", *STREAMS)


def s6_replicas():
    ports = [ARGS.port + 1, ARGS.port + 2, ARGS.port + 3]
    sc = Scenario(6, "6 three replicas, one killed", ports=ports)
    apis = [Api(p).start(wait=False) for p in ports]
    for a in apis:
        a.wait_ready()
    load = sc.load()
    load.wait_playing()
    time.sleep(ARGS.warm)
    victim = apis[1]
    sc.await_batch(victim.consumer())
    victim.kill9()
    t = time.time()
    left = sc.redis.pending(victim.consumer())
    say("killed replica :%d with %d entries read and not acknowledged" % (victim.port, left))
    until(lambda: sc.redis.pending(victim.consumer()) == 0, 120, 0.05)
    recovery = since(t)
    time.sleep(ARGS.after)
    load.finish()
    report(sc.name, load, reconcile(load.players, sc.redis), recovery,
           "%d entries of the dead replica claimed by the others" % left)
    for a in apis:
        if a is not victim:
            a.terminate()


def pids_of(dep):
    """The processes to freeze to make a dependency unreachable (they accept nothing, answer nothing)."""
    if dep == "postgres":
        return [int(p) for p in subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True).stdout.split()]
    pid = int(open(os.path.join(ARGS.stack_run, {"redis": "redis", "s3": "s3", "keycloak": "keycloak"}[dep] + ".pid")).read())
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [pid] + [int(c) for c in children]


def signal_all(pids, sig):
    for p in pids:
        try:
            os.kill(p, sig)
        except ProcessLookupError:
            pass


OUTAGES = []


GAUGE_NAMES = {"redis": "redis", "postgres": "postgres", "s3": "object-storage", "keycloak": "oidc"}


def s7_unreachable():
    """Each dependency frozen (SIGSTOP: it accepts nothing and answers nothing) for --outage seconds.
    Readiness follows Redis only: it must go DOWN while Redis is away and stay UP while PostgreSQL,
    the object store or Keycloak is, so that an outage of those never empties the Service; their
    gauge hongtong_dependency_up must show 0 meanwhile (what alerts watch). While PostgreSQL is
    away, the learners' heartbeats must keep being answered 200 (they only need Redis)."""
    sc = Scenario(7, "7 dependencies unreachable %d s each" % ARGS.outage)
    api, load = sc.begin()
    editor = keycloak_token("editor")
    prober = Player(7900, [ARGS.port], LESSONS, load.stats, threading.Event())
    login_code = [7900]

    def ask(path, body, token=None):
        status = prober.request("POST", path, body, token)[0]
        return "no answer" if status is None else status

    def probe(dep):
        """A request that needs the dependency: its answer while it is away, and once it is back."""
        if dep == "redis":
            return None  # the learners' heartbeats are the probe
        if dep == "postgres":
            return ask("/api/v1/sessions", {"lessonId": LESSONS[0][0], "deviceId": "probe", "client": "app"},
                       load.players[0].token)
        if dep == "s3":  # over the multipart threshold: starting the upload asks the store
            return ask("/api/v1/admin/media/uploads",
                       {"fileName": "probe.mp4", "contentType": "video/mp4", "size": 100 * 1024 * 1024}, editor)
        login_code[0] += 1
        return ask("/api/v1/auth/wechat/mini-program", {"code": "demo-%d" % login_code[0]})

    for dep in ARGS.outage_deps.split(","):
        before = dict(load.stats.heartbeats_by_status)
        pids = pids_of(dep)
        FROZEN.update(pids)
        signal_all(pids, signal.SIGSTOP)
        t0 = time.time()
        down_seen, answers = False, {}
        # The gauge is watched by its own thread: the loop below blocks on requests that wait for
        # the frozen dependency (up to the API's 5 s deadline) and would sample it only once or twice.
        gauge_zero = threading.Event()

        def watch_gauge():
            while time.time() - t0 < ARGS.outage and not gauge_zero.is_set():
                if api.dependency_up(GAUGE_NAMES[dep]) == 0.0:
                    gauge_zero.set()
                time.sleep(0.25)
        watcher = threading.Thread(target=watch_gauge, daemon=True)
        watcher.start()
        while time.time() - t0 < ARGS.outage:
            ready, body = api.ready()
            down_seen = down_seen or (not ready and b"DOWN" in body)
            status = probe(dep)
            if status is not None:
                answers[status] = answers.get(status, 0) + 1
            time.sleep(1)
        watcher.join()
        gauge_zero = gauge_zero.is_set()
        signal_all(pids, signal.SIGCONT)
        FROZEN.difference_update(pids)
        t = time.time()
        during = {k: v - before.get(k, 0) for k, v in load.stats.heartbeats_by_status.items() if v - before.get(k, 0)}
        acked = load.acked()

        def recovered():
            if not api.ready()[0] or api.dependency_up(GAUGE_NAMES[dep]) != 1.0:
                return False
            if dep == "redis":
                return load.acked() > acked
            return probe(dep) in (200, 201)
        ok = until(recovered, 60, 0.5)
        recovery = time.time() - t
        readiness_ok = down_seen if dep == "redis" else not down_seen
        hot_path_ok = True
        if dep == "postgres":
            # The hot path kept answering: heartbeats acknowledged, none failed.
            hot_path_ok = during.get(200, 0) > 0 and not any(k != 200 for k in during)
        shown = answers if dep != "redis" else during
        OUTAGES.append((dep, ", ".join("%s x%d" % (k, v) for k, v in sorted(shown.items(), key=str)),
                        ", ".join("%s x%d" % (k, v) for k, v in sorted(during.items(), key=str)),
                        ("DOWN" if down_seen else "UP") + (" (expected)" if readiness_ok else " (WRONG)"),
                        "yes" if gauge_zero else "NO", "%.1f s" % recovery if ok else "NOT within 60 s",
                        ok and readiness_ok and gauge_zero and hot_path_ok and recovery <= 30
                        and 500 not in shown and "no answer" not in shown))
        say("%s unreachable %d s: answers %s; heartbeats %s; readiness DOWN: %s; gauge 0: %s; recovered in %.1f s"
            % (dep, ARGS.outage, shown, during, down_seen, gauge_zero, recovery))
    time.sleep(ARGS.after)
    load.finish()
    worst = max((o[5] for o in OUTAGES), key=lambda r: float(r.split()[0]) if r[0].isdigit() else 1e9)
    report(sc.name, load, reconcile(load.players, sc.redis), "max " + worst, "see the outage table")
    api.terminate()


def keycloak_token(user):
    body = urllib.parse.urlencode({"grant_type": "password", "client_id": "hongtong-dev", "username": user,
                                   "password": "hongtong-dev"}).encode()
    c = http.client.HTTPConnection("127.0.0.1", ARGS.kc_port, timeout=30)
    c.request("POST", "/realms/hongtong/protocol/openid-connect/token", body,
              {"Content-Type": "application/x-www-form-urlencoded"})
    return json.loads(c.getresponse().read())["access_token"]


def s8_sigterm():
    sc = Scenario(8, "8 SIGTERM under load")
    api, load = sc.begin()
    inflight = sc.await_inflight(load)
    SIGTERM_AT[0] = time.time()
    api.proc.send_signal(signal.SIGTERM)
    api.proc.wait(60)
    t = time.time()
    left = sc.redis.pending(api.consumer())
    say("SIGTERM with %d requests in flight: exited in %.1f s, %d entries left unacknowledged"
        % (inflight, t - SIGTERM_AT[0], left))
    if left:
        load.stats.bad.append("the stopped replica left %d entries unacknowledged" % left)
    time.sleep(0.5)
    SIGTERM_AT[0] = None
    api.start()
    recovery = since(t)
    sc.end(api, load, recovery,
           "%d in flight finished, flusher drained (%d left)" % (inflight, left))


def s9_redis_full():
    sc = Scenario(9, "9 Redis at maxmemory (noeviction)")
    api, load = sc.begin()
    before = dict(load.stats.by_status)
    acked = load.acked()
    info = sc.redis("INFO", "memory")
    used = int([l for l in info.splitlines() if l.startswith("used_memory:")][0].split(":")[1])
    sc.redis("CONFIG", "SET", "maxmemory-policy", "noeviction")
    sc.redis("CONFIG", "SET", "maxmemory", str(used * 9 // 10))
    say("maxmemory set to %d bytes (nine tenths of what Redis used) for %d s" % (used * 9 // 10, ARGS.outage))
    time.sleep(ARGS.outage)
    during = {k: v - before.get(k, 0) for k, v in load.stats.by_status.items() if v - before.get(k, 0)}
    acked_during = load.acked() - acked
    sc.redis("CONFIG", "SET", "maxmemory", "0")
    t = time.time()
    acked = load.acked()
    until(lambda: load.acked() > acked + sc.learners, 60, 0.05)
    recovery = since(t)
    say("while full: %s (%d acknowledged)" % (during, acked_during))
    if 503 not in during:
        load.stats.bad.append("no 503 while Redis was full: %s" % during)
    sc.end(api, load, recovery,
           "while full: " + ", ".join("%s x%d" % (k, v) for k, v in sorted(during.items(), key=str)))


# ------------------------------------------------------------------ on the Redis Cluster (--redis-cluster)
def cluster_client_settings():
    """The API's Redis client on a cluster, from bin/redis-cluster.env (the one place they are written)."""
    settings = {}
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bin", "redis-cluster.env")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, value = line.partition("=")
                settings[key] = value
    return settings


def cluster_ports():
    return [ARGS.redis_cluster + i for i in range(6)]


def redis_client():
    return ClusterRedis(cluster_ports()) if ARGS.redis_cluster else Redis(ARGS.redis_port, ARGS.redis_db)


def shard_slots(redis):
    return [int(redis("CLUSTER", "KEYSLOT", "{h%d}" % i)) for i in range(16)]


def busiest_master(redis):
    """The master holding the most shards of the hot path, and how many it holds."""
    owners = [redis.owner(slot) for slot in shard_slots(redis)]
    port = max(set(owners), key=owners.count)
    return port, owners.count(port)


def cluster_pid(port):
    return int(open(os.path.join(ARGS.stack_run, "redis-cluster-%d.pid" % port)).read().strip())


def cluster_back(sc, api, load, t):
    """Restarts what is down (it rejoins as a replica), waits for the cluster and for every learner to be acknowledged again."""
    subprocess.run([ARGS.stack, "up", "redis-cluster"], check=True, stdout=subprocess.DEVNULL)
    acked = load.acked()
    until(lambda: sc.redis.ok() and api.ready()[0] and load.acked() > acked + sc.learners, 120, 0.05)
    return since(t)


def c10_kill_master():
    sc = Scenario(10, "10 cluster: kill -9 a master, replica promoted")
    api, load = sc.begin()
    port, shards = busiest_master(sc.redis)
    pid = cluster_pid(port)
    os.kill(pid, signal.SIGKILL)
    t = time.time()
    say("killed the master on :%d (%d of 16 shards)" % (port, shards))
    acked = load.acked()
    until(lambda: port not in sc.redis.masters() and sc.redis.ok() and load.acked() > acked + sc.learners, 120, 0.05)
    promoted = since(t)
    say("replica promoted and learners acknowledged again after %s" % promoted)
    cluster_back(sc, api, load, t)
    sc.end(api, load, promoted, "master of %d shards killed; it came back as a replica" % shards)


def c11_freeze_master():
    sc = Scenario(11, "11 cluster: a master frozen %d s" % ARGS.outage)
    api, load = sc.begin()
    port, shards = busiest_master(sc.redis)
    pid = cluster_pid(port)
    FROZEN.add(pid)
    os.kill(pid, signal.SIGSTOP)
    t = time.time()
    say("froze the master on :%d (%d of 16 shards) for %d s" % (port, shards, ARGS.outage))
    acked = load.acked()
    promoted = until(lambda: port not in sc.redis.masters() and sc.redis.ok()
                     and load.acked() > acked + sc.learners, ARGS.outage, 0.05)
    failover = since(t) if promoted else "none within the freeze"
    time.sleep(max(0, ARGS.outage - (time.time() - t)))
    os.kill(pid, signal.SIGCONT)
    FROZEN.discard(pid)
    say("continued it; failover: %s" % failover)
    recovery = cluster_back(sc, api, load, t)
    sc.end(api, load, "%s (failover %s)" % (recovery, failover),
           "master of %d shards frozen; the old master rejoined as a replica" % shards)


def agreed(entry, log):
    """Waits until every node agrees on the slots (a migration's last SETSLOT spreads by gossip)."""
    if not until(lambda: subprocess.run(["redis-cli", "--cluster", "check", entry], stdout=log,
                                        stderr=subprocess.STDOUT).returncode == 0, 60, 0.5):
        raise SystemExit("[faults] the cluster's nodes did not agree on the slots within 60 s")


def c12_rebalance():
    sc = Scenario(12, "12 cluster: resharded under load")
    api, load = sc.begin()
    port, _ = busiest_master(sc.redis)
    node_id = sc.redis.masters()[port][0]
    before = [sc.redis.owner(slot) for slot in shard_slots(sc.redis)]
    t = time.time()
    entry = "127.0.0.1:%d" % ARGS.redis_cluster
    log = open(os.path.join(ARGS.work, "rebalance.log"), "w")
    # Most of one master's slots go to the others, then the cluster is balanced again.
    subprocess.run(["redis-cli", "--cluster", "rebalance", entry, "--cluster-weight", "%s=0.2" % node_id,
                    "--cluster-pipeline", "100"], check=True, stdout=log, stderr=subprocess.STDOUT)
    middle = [sc.redis.owner(slot) for slot in shard_slots(sc.redis)]
    agreed(entry, log)
    subprocess.run(["redis-cli", "--cluster", "rebalance", entry, "--cluster-pipeline", "100"],
                   check=True, stdout=log, stderr=subprocess.STDOUT)
    agreed(entry, log)
    after = [sc.redis.owner(slot) for slot in shard_slots(sc.redis)]
    moved = sum(1 for a, b in zip(before, middle) if a != b) + sum(1 for a, b in zip(middle, after) if a != b)
    say("rebalanced twice in %s: %d moves of hot-path shards between masters" % (since(t), moved))
    if moved == 0:
        load.stats.bad.append("no shard of the hot path moved: the scenario tested nothing")
    acked = load.acked()
    until(lambda: load.acked() > acked + sc.learners, 60, 0.05)
    sc.end(api, load, "none needed (resharded in %s)" % since(t), "%d shard moves (slots migrated with their streams and consumer groups)" % moved)


SCENARIOS = {1: s1_kill_api_mid_flush, 2: s2_kill_api_in_flight, 3: s3_kill_redis, 4: s4_stop_postgres_mid_flush,
             5: s5_replay, 6: s6_replicas, 7: s7_unreachable, 8: s8_sigterm, 9: s9_redis_full,
             10: c10_kill_master, 11: c11_freeze_master, 12: c12_rebalance}
LESSONS = []


def setup():
    """A fresh database and Redis database, migrated by one start of the API, and a small catalog:
    a course of three 15-second lessons (completions happen within a scenario) and a long lesson."""
    global LESSONS
    for db in (ARGS.db, ARGS.db + "_replay"):
        pg_admin("DROP DATABASE IF EXISTS %s WITH (FORCE)" % db)
    pg_admin("CREATE DATABASE %s OWNER %s ENCODING 'UTF8' TEMPLATE template0" % (ARGS.db, ARGS.pg_user))
    if ARGS.redis_cluster:
        cluster = ClusterRedis(cluster_ports())
        for port in cluster.masters():
            cluster.node(port)("FLUSHALL")
    else:
        Redis(ARGS.redis_port, ARGS.redis_db)("FLUSHDB")
    api = Api(ARGS.port).start()
    api.terminate()
    short, long_ = "00000000-0000-4000-8000-00000000a001", "00000000-0000-4000-8000-00000000a002"
    course_a, course_b = "00000000-0000-4000-8000-00000000c001", "00000000-0000-4000-8000-00000000c002"
    lessons = ["00000000-0000-4000-8000-00000000b00%d" % i for i in (1, 2, 3, 4)]
    psql("""
        INSERT INTO media_asset (id, status, file_name, content_type, declared_size, original_key, duration_ms,
                                 progress, attempts, created_by, created_at, updated_at)
        VALUES ('%s', 'ready', 'short.mp4', 'video/mp4', 1000, 'faults/short.mp4', 15000, 100, 0, 'faults', now(), now()),
               ('%s', 'ready', 'long.mp4', 'video/mp4', 1000, 'faults/long.mp4', 1800000, 100, 0, 'faults', now(), now());
        INSERT INTO course (id, title, summary, category_code, credit_class, credit_hours, status, published_at,
                            created_at, updated_at)
        VALUES ('%s', '故障演练 短课', '', 'clinical-skills', 'II', 1, 'published', now(), now(), now()),
               ('%s', '故障演练 长课', '', 'clinical-skills', 'II', 1, 'published', now(), now(), now());
        INSERT INTO lesson (id, course_id, position, title, media_asset_id, created_at, updated_at)
        VALUES ('%s', '%s', 1, '第一讲', '%s', now(), now()), ('%s', '%s', 2, '第二讲', '%s', now(), now()),
               ('%s', '%s', 3, '第三讲', '%s', now(), now()), ('%s', '%s', 1, '长课', '%s', now(), now());
    """ % (short, long_, course_a, course_b, lessons[0], course_a, short, lessons[1], course_a, short,
           lessons[2], course_a, short, lessons[3], course_b, long_))
    LESSONS = [(lessons[0], 15), (lessons[1], 15), (lessons[2], 15), (lessons[3], 1800)]


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", default="1,2,3,4,5,6,7,8,9")
    ap.add_argument("--learners", type=int, default=30)
    ap.add_argument("--warm", type=float, default=15, help="seconds of play before the fault")
    ap.add_argument("--after", type=float, default=15, help="seconds of play after recovery")
    ap.add_argument("--outage", type=float, default=20, help="seconds a dependency stays unreachable (7) or Redis full (9)")
    ap.add_argument("--outage-deps", default="redis,postgres,s3,keycloak", help="dependencies made unreachable in turn (7)")
    ap.add_argument("--pg-down", type=float, default=5, help="seconds PostgreSQL stays stopped (4)")
    ap.add_argument("--replay-play", type=float, default=50, help="seconds of play recorded for the replays (5)")
    ap.add_argument("--tick", type=float, default=2, help="seconds between heartbeats")
    ap.add_argument("--seed", type=int, default=7)
    for name in ("jar", "work", "db", "pg-port", "pg-user", "pg-version", "redis-port", "redis-db", "stack", "stack-run",
                 "kc-port"):
        ap.add_argument("--" + name, required=True)
    ap.add_argument("--port", type=int, default=8090)
    ap.add_argument("--redis-cluster", type=int, default=0,
                    help="first port of the local Redis Cluster: the API and the bench use it (scenarios 10-12 need it)")
    ARGS = ap.parse_args()
    wanted = [int(x) for x in ARGS.scenarios.split(",")]
    if any(n >= 10 for n in wanted) and not ARGS.redis_cluster:
        raise SystemExit("[faults] scenarios 10-12 run on the Redis Cluster: bench/faults --redis-cluster")
    setup()
    started = time.time()
    for n in wanted:
        say("scenario %d" % n)
        SCENARIOS[n]()
    print()
    print("| scenario | heartbeats acknowledged | seconds expected | seconds in PostgreSQL | lost | doubled | recovery | result | notes |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for name, acked, exp, stored, lost, doubled, recovery, result, note in RESULTS:
        print("| %s | %d | %.3f | %.3f | %.3f | %.3f | %s | %s | %s |"
              % (name, acked, exp / 1000, stored / 1000, lost / 1000, doubled / 1000, recovery, result, note))
    if OUTAGES:
        print()
        print("| unreachable for %d s | answers meanwhile (heartbeats for Redis, a request that needs it otherwise) | heartbeats meanwhile | readiness | gauge showed 0 | recovered after it came back | result |" % ARGS.outage)
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for dep, answers, heartbeats, readiness, gauge, recovery, ok in OUTAGES:
            print("| %s | %s | %s | %s | %s | %s | %s |" % (dep, answers, heartbeats, readiness, gauge, recovery, "pass" if ok else "FAIL"))
    print("\n%d scenarios in %.0f s" % (len(wanted), time.time() - started))
    failed = [r for r in RESULTS if r[7] != "pass"] + [o for o in OUTAGES if not o[6]]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
