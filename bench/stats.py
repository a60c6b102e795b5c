"""Times the statistics endpoints against plain SQL over the raw ledger (run by bench/stats)."""
import datetime
import http.client
import json
import os
import re
import statistics
import subprocess
import time
import urllib.parse
from decimal import Decimal

END = datetime.date.fromisoformat(os.environ["END"])
YEAR_FROM = END - datetime.timedelta(days=364)
Q_TO = END.replace(day=1) - datetime.timedelta(days=1)                 # the last three whole months
Q_FROM = datetime.date(Q_TO.year + (Q_TO.month - 3) // 12, (Q_TO.month - 3) % 12 + 1, 1)
M30_FROM = END - datetime.timedelta(days=29)
API = urllib.parse.urlparse(os.environ["API"])
HEADERS = {}


def login():
    """A fresh analyst token (they live five minutes)."""
    body = urllib.parse.urlencode(dict(grant_type="password", client_id="hongtong-dev", username="analyst",
                                       password=os.environ.get("HONGTONG_DEV_PASSWORD", "hongtong-dev")))
    kc = http.client.HTTPConnection("localhost", int(os.environ.get("HONGTONG_KC_PORT", "8180")), timeout=30)
    kc.request("POST", "/realms/hongtong/protocol/openid-connect/token", body,
               {"Content-Type": "application/x-www-form-urlencoded"})
    HEADERS["Authorization"] = "Bearer " + json.loads(kc.getresponse().read())["access_token"]
REQUESTS, RAW_RUNS = int(os.environ["REQUESTS"]), int(os.environ["RAW_RUNS"])
LESSON = os.environ["LESSON"]
PSQL = os.environ["PSQL"].split()


def ledger(where):
    return f"hours_ledger h JOIN learner l ON l.id = h.learner_id WHERE h.day BETWEEN '{{f}}' AND '{{t}}' {where}"


# name, API path and query, raw SQL giving the same numbers, and how to compare them.
CASES = [
    ("overview, nationwide, a year", "/api/v1/stats/overview", dict(region="all", frm=YEAR_FROM, to=END),
     "SELECT count(DISTINCT h.learner_id), round(sum(h.credited_ms) / 3600000.0, 4) FROM " + ledger(""),
     lambda j: [[j["activeLearners"], j["creditedHours"]]]),
    ("regions, Guizhou's cities, a quarter", "/api/v1/stats/regions", dict(region="52", frm=Q_FROM, to=Q_TO),
     "SELECT left(l.region_code, 4), count(DISTINCT h.learner_id), round(sum(h.credited_ms) / 3600000.0, 4) FROM "
     + ledger("AND l.region_code LIKE '52%'") + " GROUP BY 1 ORDER BY 1",
     lambda j: sorted([r["code"], r["activeLearners"], r["creditedHours"]] for r in j["regions"] if r["activeLearners"])),
    ("regions, Zunyi's counties, a quarter", "/api/v1/stats/regions", dict(region="5203", frm=Q_FROM, to=Q_TO),
     "SELECT left(l.region_code, 6), count(DISTINCT h.learner_id), round(sum(h.credited_ms) / 3600000.0, 4) FROM "
     + ledger("AND l.region_code LIKE '5203%'") + " GROUP BY 1 ORDER BY 1",
     lambda j: sorted([r["code"], r["activeLearners"], r["creditedHours"]] for r in j["regions"] if r["activeLearners"]
                      and not r["suppressed"])),
    ("retention curve of the most watched lesson", f"/api/v1/stats/lessons/{LESSON}/retention", dict(region="all"),
     "SELECT k, round(count(*) FILTER (WHERE p.covered @> ((2 * k - 1)::bigint * p.duration_ms / 200)::int) * 1.0 "
     f"/ count(*), 4) FROM lesson_progress p CROSS JOIN generate_series(1, 100) AS k WHERE p.lesson_id = '{LESSON}' "
     "AND p.covered_ms > 0 GROUP BY k ORDER BY k",
     lambda j: [[p["percentile"], p["share"]] for p in j["points"]]),
    ("courses, nationwide, a year", "/api/v1/stats/courses", dict(region="all", frm=YEAR_FROM, to=END, limit=1000),
     "SELECT h.course_id::text, count(DISTINCT h.learner_id), round(sum(h.credited_ms) / 3600000.0, 4) FROM "
     + ledger("") + " GROUP BY 1 ORDER BY 1",
     lambda j: sorted([c["courseId"], c["learners"], c["creditedHours"]] for c in j["courses"])),
    ("series by month, nationwide, a year", "/api/v1/stats/series", dict(region="all", frm=YEAR_FROM, to=END,
                                                                         granularity="month"),
     "SELECT date_trunc('month', h.day)::date::text, count(DISTINCT h.learner_id) FROM " + ledger("") + " GROUP BY 1 ORDER BY 1",
     lambda j: [[p["start"][:8] + "01", p["activeLearners"]] for p in j["points"]]),
    ("series by day, Guizhou, 30 days", "/api/v1/stats/series", dict(region="52", frm=M30_FROM, to=END, granularity="day"),
     "SELECT h.day::text, count(DISTINCT h.learner_id) FROM " + ledger("AND l.region_code LIKE '52%'")
     + " GROUP BY 1 ORDER BY 1",
     lambda j: [[p["start"], p["activeLearners"]] for p in j["points"] if p["activeLearners"]]),
    ("professions, Heilongjiang, a year", "/api/v1/stats/professions", dict(region="23", frm=YEAR_FROM, to=END),
     "SELECT l.profession, count(DISTINCT h.learner_id) FROM " + ledger("AND l.region_code LIKE '23%'")
     + " GROUP BY 1 ORDER BY 1",
     lambda j: sorted([p["code"], p["activeLearners"]] for p in j["professions"] if p["activeLearners"])),
]


def api_get(conn, path, params):
    query = {("from" if k == "frm" else k): str(v) for k, v in params.items()}
    conn.request("GET", path + "?" + urllib.parse.urlencode(query), headers=HEADERS)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status} {body[:300]!r}")
    return json.loads(body, parse_float=Decimal)


def raw(sql, runs):
    script = "\\timing on\n" + (sql + ";\n") * runs
    out = subprocess.run(PSQL + ["-F", "|"], input=script, capture_output=True, text=True, check=True).stdout
    times = [float(m) for m in re.findall(r"Time: ([0-9.]+) ms", out)]
    rows = [line.split("|") for line in out.splitlines() if line and not line.startswith("Time:")]
    per_run = len(rows) // runs
    return times, rows[:per_run]


def norm(rows):
    return [[str(Decimal(str(c)).normalize()) if re.fullmatch(r"-?[0-9.]+", str(c)) else str(c) for c in row] for row in rows]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


conn = http.client.HTTPConnection(API.hostname, API.port, timeout=120)
print(f"\nperiods: year {YEAR_FROM}..{END}, quarter {Q_FROM}..{Q_TO}, 30 days {M30_FROM}..{END}\n")
print(f"{'query':44} {'API p50':>9} {'API p95':>9} {'raw p50':>9} {'raw p95':>9} {'raw/API':>8}  same answer")
for name, path, params, sql, extract in CASES:
    login()
    for _ in range(5):
        api_get(conn, path, params)
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        answer = api_get(conn, path, params)
        times.append((time.perf_counter() - start) * 1000)
    raw_times, raw_rows = raw(sql.replace("{f}", str(params.get("frm", ""))).replace("{t}", str(params.get("to", ""))), RAW_RUNS)
    same = norm(extract(answer)) == norm(raw_rows)
    a50, a95, r50, r95 = pct(times, 50), pct(times, 95), pct(raw_times, 50), pct(raw_times, 95)
    print(f"{name:44} {a50:8.1f}ms {a95:8.1f}ms {r50:8.1f}ms {r95:8.1f}ms {r50 / a50:7.1f}x  {'yes' if same else 'NO'}",
          flush=True)
    if not same:
        print("   API:", norm(extract(answer))[:5], "\n   raw:", norm(raw_rows)[:5])
