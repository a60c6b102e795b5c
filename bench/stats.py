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


ZONE = "Asia/Shanghai"
CATEGORY = "chronic-disease"


def measures_sql(key, where, registered=True):
    """Every measure per group, straight from the raw tables: distinct learners, watch and credited
    hours from the ledger, lesson completions from lesson_progress, course completions from
    course_completion, registered learners (at the end of the period) from learner. {a} in key and
    where stands for the raw table's alias: h, p or c; {day} for its day column."""
    def part(alias, day):
        return key.replace("{a}", alias).replace("{day}", day), where.replace("{a}", alias)
    hk, hw = part("h", "h.day")
    pk, pw = part("p", "p.completed_on")
    ck, cw = part("c", "c.day")
    rk, rw = part("l", "l.created_at")
    reg = (f", r AS (SELECT {rk} AS k, count(*) AS n FROM learner l WHERE l.created_at < ('{{t}}'::date + 1)::timestamp "
           f"AT TIME ZONE '{ZONE}' {rw} GROUP BY 1)") if registered else ""
    return (f"WITH h AS (SELECT {hk} AS k, count(DISTINCT h.learner_id) AS n, sum(h.watch_ms) AS w, sum(h.credited_ms) AS c "
            f"FROM hours_ledger h JOIN learner l ON l.id = h.learner_id WHERE h.day BETWEEN '{{f}}' AND '{{t}}' {hw} GROUP BY 1), "
            f"lc AS (SELECT {pk} AS k, count(*) AS n FROM lesson_progress p JOIN learner l ON l.id = p.learner_id "
            f"WHERE p.completed_on BETWEEN '{{f}}' AND '{{t}}' {pw} GROUP BY 1), "
            f"cc AS (SELECT {ck} AS k, count(*) AS n FROM course_completion c JOIN learner l ON l.id = c.learner_id "
            f"WHERE c.day BETWEEN '{{f}}' AND '{{t}}' {cw} GROUP BY 1){reg} "
            f"SELECT h.k::text, h.n, round(h.w / 3600000.0, 4), round(h.c / 3600000.0, 4), coalesce(lc.n, 0), "
            f"coalesce(cc.n, 0), {'coalesce(r.n, 0)' if registered else 'NULL'} FROM h LEFT JOIN lc USING (k) "
            f"LEFT JOIN cc USING (k){' LEFT JOIN r USING (k)' if registered else ''} ORDER BY 1")


MEASURES = ["activeLearners", "watchHours", "creditedHours", "lessonCompletions", "courseCompletions", "registeredLearners"]


def rows_of(items, key):
    """An answer's groups as [key, learners, watch, credited, lesson completions, course completions, registered]."""
    return [[key(r)] + [r.get(m) for m in MEASURES] for r in items]


# name, API path and query, raw SQL giving the same numbers, how to read the answer, and whether the
# query is one of the heavy ones (goal: at least 50x faster than the raw query).
CASES = [
    ("overview, nationwide, a year", "/api/v1/stats/overview", dict(region="all", frm=YEAR_FROM, to=END),
     measures_sql("''", ""), lambda j: rows_of([j], lambda r: ""), True),
    ("overview, nationwide, a year, one category", "/api/v1/stats/overview",
     dict(region="all", frm=YEAR_FROM, to=END, category=CATEGORY),
     measures_sql("''", f"AND {{a}}.course_id IN (SELECT id FROM course WHERE category_code = '{CATEGORY}')",
                  registered=False),
     lambda j: [[""] + [j.get(m) for m in MEASURES[:-1]] + [None]], False),
    ("regions, Guizhou's cities, a quarter", "/api/v1/stats/regions", dict(region="52", frm=Q_FROM, to=Q_TO),
     measures_sql("left(l.region_code, 4)", "AND l.region_code LIKE '52%'"),
     lambda j: rows_of(j["regions"], lambda r: r["code"]), False),
    ("regions, Zunyi's counties, a quarter", "/api/v1/stats/regions", dict(region="5203", frm=Q_FROM, to=Q_TO),
     measures_sql("left(l.region_code, 6)", "AND l.region_code LIKE '5203%'"),
     lambda j: rows_of(j["regions"], lambda r: r["code"]), False),
    ("retention curve of the most watched lesson", f"/api/v1/stats/lessons/{LESSON}/retention", dict(region="all"),
     "SELECT k, round(count(*) FILTER (WHERE p.covered @> ((2 * k - 1)::bigint * p.duration_ms / 200)::int) * 1.0 "
     f"/ count(*), 4), count(*) FROM lesson_progress p CROSS JOIN generate_series(1, 100) AS k WHERE p.lesson_id = '{LESSON}' "
     "AND p.covered_ms > 0 GROUP BY k ORDER BY k",
     lambda j: [[p["percentile"], p["share"], j["viewers"]] for p in j["points"]], False),
    ("courses, nationwide, a year", "/api/v1/stats/courses", dict(region="all", frm=YEAR_FROM, to=END, limit=1000),
     measures_sql("{a}.course_id", "", registered=False),
     lambda j: [[c["courseId"], c["learners"], c["watchHours"], c["creditedHours"], c["lessonCompletions"],
                 c["courseCompletions"], None] for c in j["courses"]], True),
    ("series by month, nationwide, a year", "/api/v1/stats/series", dict(region="all", frm=YEAR_FROM, to=END,
                                                                         granularity="month"),
     measures_sql("date_trunc('month', {day})::date", "", registered=False),
     lambda j: [[p["start"][:8] + "01"] + [p.get(m) for m in MEASURES[:-1]] + [None] for p in j["points"]], True),
    ("series by day, Guizhou, 30 days", "/api/v1/stats/series", dict(region="52", frm=M30_FROM, to=END, granularity="day"),
     measures_sql("{day}", "AND l.region_code LIKE '52%'", registered=False),
     lambda j: [[p["start"]] + [p.get(m) for m in MEASURES[:-1]] + [None] for p in j["points"]], False),
    ("professions, Heilongjiang, a year", "/api/v1/stats/professions", dict(region="23", frm=YEAR_FROM, to=END),
     measures_sql("coalesce(l.profession, '')", "AND l.region_code LIKE '23%'"),
     lambda j: rows_of(j["professions"], lambda r: r["code"]), False),
]

P95_GOAL_MS = 150
HEAVY_RATIO_GOAL = 50


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


def compare(answer, api_rows, raw_rows, retention):
    """Checks every measure of every group against the raw query, within the answer's stated
    perturbation ("exact": equal). Gives (groups checked, groups outside the bounds, an example)."""
    rule = answer["suppression"]
    exact = rule["method"] != "cell-key"
    noise, hours_noise, smallest = rule["maxCountNoise"], Decimal(str(rule["hoursNoise"])), rule["minLearners"]
    api = {str(r[0]): r for r in api_rows}
    checked, bad, example = 0, 0, None
    for raw in raw_rows:
        key = str(raw[0])
        got = api.get(key)
        checked += 1
        problems = []
        if retention:
            viewers = int(raw[2])
            share, published = Decimal(raw[1]), got and got[1]
            if viewers < smallest:
                problems += [] if published is None else ["a small group is shown"]
            elif published is None or abs(Decimal(str(published)) - share) > (0 if exact else Decimal(4 * noise) / viewers
                                                                                   + Decimal("0.0001")):
                problems.append(f"share {published} vs {share}")
        else:
            n = int(raw[1])
            if got is None:
                problems.append("missing")
            elif 0 < n < smallest:
                problems += [] if got[1] is None else ["a small group is shown"]
            else:
                for i, name in enumerate(MEASURES):
                    truth, value = raw[i + 1], got[i + 1]
                    if truth in (None, "") or value is None and name == "registeredLearners":
                        continue
                    if value is None:
                        problems.append(f"{name} missing")
                        continue
                    truth, value = Decimal(str(truth)), Decimal(str(value))
                    if name.endswith("Hours"):
                        # A quarter to all of the group's mean of this measure per learner.
                        mean = truth / n if n else Decimal(0)
                        bound = 0 if exact else max(hours_noise * mean, Decimal("0.0002")) + Decimal("0.0001")
                    else:
                        bound = 0 if exact or truth == 0 and name.endswith("Completions") else noise
                    if abs(value - truth) > bound:
                        problems.append(f"{name} {value} vs {truth}")
        if problems:
            bad += 1
            example = example or f"{key}: {', '.join(problems)}"
    return checked, bad, example


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


conn = http.client.HTTPConnection(API.hostname, API.port, timeout=120)
print(f"\nperiods: year {YEAR_FROM}..{END}, quarter {Q_FROM}..{Q_TO}, 30 days {M30_FROM}..{END}")
print(f"goals: API p95 <= {P95_GOAL_MS} ms; heavy queries (*) at least {HEAVY_RATIO_GOAL}x faster than the raw query\n")
print(f"{'query':46} {'API p50':>9} {'API p95':>9} {'goal':>6} {'raw p50':>9} {'raw p95':>9} {'raw/API':>8} {'goal':>5}  "
      f"measures within the stated bounds")
for name, path, params, sql, extract, heavy in CASES:
    login()
    for _ in range(5):
        api_get(conn, path, params)
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        answer = api_get(conn, path, params)
        times.append((time.perf_counter() - start) * 1000)
    raw_times, raw_rows = raw(sql.replace("{f}", str(params.get("frm", ""))).replace("{t}", str(params.get("to", ""))), RAW_RUNS)
    checked, bad, example = compare(answer, extract(answer), raw_rows, path.endswith("/retention"))
    a50, a95, r50, r95 = pct(times, 50), pct(times, 95), pct(raw_times, 50), pct(raw_times, 95)
    p95_ok = "ok" if a95 <= P95_GOAL_MS else "MISS"
    ratio_ok = ("ok" if r50 / a50 >= HEAVY_RATIO_GOAL else "MISS") if heavy else "-"
    label = name + (" *" if heavy else "")
    print(f"{label:46} {a50:8.1f}ms {a95:8.1f}ms {p95_ok:>6} {r50:8.1f}ms {r95:8.1f}ms {r50 / a50:7.1f}x {ratio_ok:>5}  "
          f"{'yes' if bad == 0 else 'NO'} ({checked} groups)", flush=True)
    if bad:
        print(f"   {bad} groups outside the bounds, for example {example}")
