-- Demo institutions derived from the regions, for the local stack, tests and the statistics
-- generator only (flyway locations of the dev and test profiles). Idempotent.
-- Township level: a health center per township (卫生院) or street (社区卫生服务中心);
-- village level: a clinic per village committee (村民委员会, 村委会 or 村: 村卫生室); county level: a
-- county hospital.
INSERT INTO institution (name, kind, region_code)
SELECT CASE WHEN r.name LIKE '%街道' OR r.name LIKE '%街道办事处'
            THEN regexp_replace(r.name, '(办事处)?$', '') || '社区卫生服务中心'
            ELSE r.name || '卫生院' END,
       CASE WHEN r.name LIKE '%街道' OR r.name LIKE '%街道办事处'
            THEN 'community-health-center' ELSE 'township-health-center' END,
       r.code
FROM region r WHERE r.level = 4
ON CONFLICT (region_code, name) DO NOTHING;

INSERT INTO institution (name, kind, region_code)
SELECT regexp_replace(r.name, '(村民委员会|村委会|村)$', '村') || '卫生室', 'village-clinic', r.code
FROM region r WHERE r.level = 5 AND r.name ~ '(村民委员会|村委会|村)$'
ON CONFLICT (region_code, name) DO NOTHING;

INSERT INTO institution (name, kind, region_code)
SELECT r.name || '人民医院', 'county-hospital', r.code
FROM region r WHERE r.level = 3 AND r.name NOT IN ('市辖区')
ON CONFLICT (region_code, name) DO NOTHING;
