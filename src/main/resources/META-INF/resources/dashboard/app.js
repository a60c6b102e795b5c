// The analysts' dashboard: one page, views chosen by the URL's hash (#/view?filters), so that a
// link reproduces what is on screen. Every number comes from the statistics API with the
// analyst's own token; the API decides the scope and hides small groups, the page only shows.
import { Auth } from './auth.js';
import { formatNumber, language, setLanguage, t } from './i18n.js';

const VIEWS = ['overview', 'trends', 'regions', 'courses', 'institutions', 'professions'];
const MEASURES = ['registeredLearners', 'activeLearners', 'watchHours', 'creditedHours', 'lessonCompletions',
  'courseCompletions'];
const HOURS = new Set(['watchHours', 'creditedHours']);
const ZONE = 'Asia/Shanghai';
const SUPPRESSED = '<5';

let auth;
let charts = [];
let pendingCharts = [];
let lastTable = null;
let renderSerial = 0;
/** How the last statistics answer was protected (its "suppression" member). */
let protection = null;

// ------------------------------------------------------------------ dates (Asia/Shanghai)

function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
}

function parseDay(text) {
  const [y, m, d] = text.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function formatDay(date) {
  return date.toISOString().slice(0, 10);
}

function addDays(text, days) {
  const d = parseDay(text);
  d.setUTCDate(d.getUTCDate() + days);
  return formatDay(d);
}

function daysBetween(from, to) {
  return Math.round((parseDay(to) - parseDay(from)) / 86400000) + 1;
}

/** The period of a preset, ending today (Asia/Shanghai). */
function presetPeriod(preset, now = today()) {
  const [y, m] = now.split('-').map(Number);
  switch (preset) {
    case 'month': return { from: `${now.slice(0, 7)}-01`, to: now };
    case 'quarter': return { from: `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`, to: now };
    case 'year': return { from: `${y}-01-01`, to: now };
    default: return { from: addDays(now, -29), to: now };
  }
}

// ------------------------------------------------------------------ state in the URL

function readState() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query || '');
  const view = path === 'course' || VIEWS.includes(path) ? path : 'overview';
  const state = { view };
  params.forEach((v, k) => { if (v !== '') state[k] = v; });
  if (!state.from || !state.to || !/^\d{4}-\d{2}-\d{2}$/.test(state.from) || !/^\d{4}-\d{2}-\d{2}$/.test(state.to)) {
    const preset = ['month', '30d', 'quarter', 'year'].includes(state.preset) ? state.preset : '30d';
    Object.assign(state, presetPeriod(preset), { preset });
  } else if (!state.preset) {
    state.preset = 'custom';
  }
  return state;
}

function hashOf(state) {
  const params = new URLSearchParams();
  Object.entries(state).forEach(([k, v]) => {
    if (k !== 'view' && v !== undefined && v !== null && v !== '') params.set(k, v);
  });
  return `#/${state.view}?${params}`;
}

function go(changes) {
  const next = { ...readState(), ...changes };
  Object.keys(next).forEach((k) => { if (next[k] === undefined || next[k] === null || next[k] === '') delete next[k]; });
  location.hash = hashOf(next);
}

// ------------------------------------------------------------------ API

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(path, params = {}) {
  const token = await auth.accessToken();
  if (!token) {
    await auth.login();
    throw new Error('login');
  }
  const query = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => { if (v !== undefined && v !== null && v !== '') query.set(k, v); });
  const response = await fetch(`${path}${query.toString() ? `?${query}` : ''}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Accept-Language': language() },
  });
  if (response.status === 401) {
    auth.forget();
    await auth.login();
    throw new Error('login');
  }
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch (e) { /* not problem+json */ }
    throw new ApiError(response.status, problem);
  }
  const answer = await response.json();
  // Every statistics answer says how it is protected; the footnote shows the latest.
  if (answer.suppression) protection = answer.suppression;
  return answer;
}

function filterParams(state) {
  return { from: state.from, to: state.to, region: state.region, category: state.category, course: state.course };
}

// ------------------------------------------------------------------ scope

function scopeOf() {
  const claims = auth.claims();
  const roles = (claims.realm_access && claims.realm_access.roles) || [];
  if (roles.includes('admin')) return '';
  const scope = claims.region_scope;
  if (scope === 'all') return '';
  return typeof scope === 'string' ? scope : null;
}

function inScope(region) {
  const scope = scopeOf();
  if (scope === null) return false;
  if (!region) return true;
  return (region === 'all' ? '' : region).startsWith(scope);
}

// ------------------------------------------------------------------ rendering helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => {
    if (k === 'on') Object.entries(v).forEach(([event, fn]) => node.addEventListener(event, fn));
    else if (k === 'class') node.className = v;
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  });
  children.flat().forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(c ?? '')));
  return node;
}

function measureText(key, value, suppressed) {
  if (suppressed) return SUPPRESSED;
  if (value === null || value === undefined) return '';
  if (HOURS.has(key)) return formatNumber(value, 2);
  if (key === 'completionRate') return `${formatNumber(Number(value) * 100, 1)}%`;
  if (key === 'avgCreditedMinutes') return formatNumber(value, 1);
  return formatNumber(value);
}

/**
 * A table, and what the CSV download gives: the same header and the same cell texts ("<5"
 * included). columns: {key, label, text?, sort?}; rows: objects with the columns' keys.
 */
function table(name, columns, rows, options = {}) {
  const head = el('tr', {}, columns.map((c) => el('th', {
    class: `${c.text ? 'text' : ''} ${c.sort ? 'sortable' : ''}`.trim(),
    'data-key': c.key,
    on: c.sort ? { click: () => options.onSort(c.sort) } : {},
  }, c.label + (options.sortedBy === c.sort && c.sort ? (options.order === 'asc' ? ' ▲' : ' ▼') : ''))));
  const cells = rows.map((row) => columns.map((c) => (c.render ? c.render(row) : measureText(c.key, row[c.key], row.suppressed))));
  const body = rows.map((row, i) => el('tr', { 'data-row': row.id ?? i }, columns.map((c, j) => {
    const text = cells[i][j];
    const content = c.link && !row.noLink ? el('a', { on: { click: () => c.link(row) } }, text) : text;
    return el('td', { class: `${c.text ? 'text' : ''} ${text === SUPPRESSED ? 'suppressed' : ''}`.trim(), 'data-key': c.key },
      content);
  })));
  lastTable = { name, header: columns.map((c) => c.label), rows: cells };
  return el('div', { class: 'scroll' }, el('table', { id: 'data', 'data-name': name }, el('thead', {}, head), el('tbody', {}, body)));
}

function csvCell(text) {
  const s = String(text ?? '');
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function downloadCsv() {
  if (!lastTable) return;
  const lines = [lastTable.header, ...lastTable.rows].map((r) => r.map(csvCell).join(','));
  const blob = new Blob([`\uFEFF${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
  const state = readState();
  const a = el('a', { href: URL.createObjectURL(blob), download: `hongtong-${lastTable.name}-${state.from}-${state.to}.csv` });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

/** A chart's box; drawn by drawCharts() once the view is in the page (ECharts needs its size). */
function chart(options) {
  const box = el('div', { class: 'chart' });
  pendingCharts.push(() => {
    const instance = window.echarts.init(box, null, { renderer: 'canvas' });
    instance.setOption({ animation: false, tooltip: { trigger: 'axis' }, grid: { left: 60, right: 30, top: 40, bottom: 80 },
      ...options });
    charts.push(instance);
  });
  return box;
}

function drawCharts() {
  pendingCharts.splice(0).forEach((draw) => draw());
}

function barChart(labels, values, measure) {
  return chart({
    xAxis: { type: 'category', data: labels, axisLabel: { rotate: labels.length > 8 ? 30 : 0, interval: 0 } },
    yAxis: { type: 'value', name: t(measure) },
    series: [{ type: 'bar', data: values, name: t(measure), itemStyle: { color: '#c62828' } }],
  });
}

function measureSelect(state, fallback) {
  const current = state.measure && MEASURES.includes(state.measure) ? state.measure : fallback;
  return [current, el('label', {}, t('measure'), el('select', { id: 'measure', on: { change: (e) => go({ measure: e.target.value }) } },
    MEASURES.map((m) => el('option', { value: m, selected: m === current }, t(m)))))];
}

function toolbar(...items) {
  return el('div', { class: 'toolbar' }, ...items, el('span', { class: 'spacer' }),
    el('button', { type: 'button', id: 'csv', on: { click: downloadCsv } }, t('csv')),
    el('button', { type: 'button', id: 'link', on: { click: copyLink } }, t('link')));
}

function copyLink(event) {
  const button = event.target;
  navigator.clipboard?.writeText(location.href).then(() => { button.textContent = t('copied'); }, () => {});
}

// ------------------------------------------------------------------ filters bar

let categoriesCache = null;
const coursesCache = new Map();

function categoryName(code) {
  const category = (categoriesCache || []).find((c) => c.code === code);
  if (!category) return code;
  return language() === 'en' ? (category.nameEn || category.name) : category.name;
}

async function renderFilters(state) {
  const bar = document.getElementById('filters');
  bar.hidden = false;
  bar.replaceChildren();
  const preset = el('select', { id: 'preset', on: { change: (e) => {
    if (e.target.value === 'custom') go({ preset: 'custom' });
    else go({ preset: e.target.value, ...presetPeriod(e.target.value) });
  } } }, ['month', '30d', 'quarter', 'year', 'custom'].map((p) => el('option', { value: p, selected: p === state.preset }, t(`preset.${p}`))));
  const from = el('input', { type: 'date', id: 'from', value: state.from, on: { change: (e) => go({ preset: 'custom', from: e.target.value }) } });
  const to = el('input', { type: 'date', id: 'to', value: state.to, on: { change: (e) => go({ preset: 'custom', to: e.target.value }) } });
  bar.append(el('label', {}, t('period'), preset), el('label', {}, t('from'), from), el('label', {}, t('to'), to));
  if (state.view === 'course') return;
  if (!categoriesCache) categoriesCache = await api('/api/v1/categories');
  const category = el('select', { id: 'category', on: { change: (e) => go({ category: e.target.value, course: '' }) } },
    el('option', { value: '' }, t('allCategories')),
    categoriesCache.map((c) => el('option', { value: c.code, selected: c.code === state.category }, categoryName(c.code))));
  const key = state.category || '';
  if (!coursesCache.has(key)) {
    // Every published course of the category, a page of 100 at a time.
    const all = [];
    let cursor = null;
    do {
      const page = await api('/api/v1/courses', { limit: 100, category: state.category, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && all.length < 2000);
    all.sort((a, b) => a.title.localeCompare(b.title, 'zh-CN'));
    coursesCache.set(key, all);
  }
  const courseList = coursesCache.get(key);
  const course = el('select', { id: 'course', on: { change: (e) => go({ course: e.target.value }) } },
    el('option', { value: '' }, t('allCourses')),
    courseList.map((c) => el('option', { value: c.id, selected: c.id === state.course }, c.title)));
  bar.append(el('label', {}, t('category'), category), el('label', {}, t('courseFilter'), course));
}

// ------------------------------------------------------------------ views

function previousPeriod(state) {
  const days = daysBetween(state.from, state.to);
  return { ...filterParams(state), from: addDays(state.from, -days), to: addDays(state.from, -1) };
}

async function overview(state, main) {
  const [now, before] = await Promise.all([api('/api/v1/stats/overview', filterParams(state)),
    api('/api/v1/stats/overview', previousPeriod(state)).catch(() => null)]);
  const cards = MEASURES.map((m) => {
    const value = now.suppressed ? null : now[m];
    const old = before && !before.suppressed ? before[m] : null;
    let change = t('noChange');
    let cls = '';
    if (value !== null && old !== null && Number(old) !== 0) {
      const pct = (Number(value) - Number(old)) / Number(old) * 100;
      change = `${pct >= 0 ? '+' : ''}${formatNumber(pct, 1)}% ${t('previous')}`;
      cls = pct > 0 ? 'up' : pct < 0 ? 'down' : '';
    }
    return el('div', { class: 'card', 'data-measure': m }, el('div', { class: 'label' }, t(m)),
      el('div', { class: 'value' }, measureText(m, value, now.suppressed)), el('div', { class: `change ${cls}` }, change));
  });
  const rows = MEASURES.map((m) => ({ id: m, name: t(m), value: now.suppressed ? null : now[m], measure: m,
    suppressed: now.suppressed, previous: before && !before.suppressed ? before[m] : null, previousSuppressed: before ? before.suppressed : false }));
  main.append(header(now), toolbar(), el('div', { class: 'cards' }, cards), el('h3', {}, t('previous')),
    table('overview', [
      { key: 'name', label: t('measure'), text: true, render: (r) => r.name },
      { key: 'value', label: `${now.period.from} – ${now.period.to}`, render: (r) => measureText(r.measure, r.value, r.suppressed) },
      { key: 'previous', label: before ? `${before.period.from} – ${before.period.to}` : '', render: (r) => measureText(r.measure, r.previous, r.previousSuppressed) },
    ], rows));
  return now.suppressed;
}

function header(answer) {
  const region = answer.filters.region;
  return el('p', { class: 'note', id: 'scope-line' }, `${t('region')}: ${region.code === 'all' ? t('nationwide') : `${region.name} (${region.code})`} · ${answer.period.from} – ${answer.period.to}`);
}

async function trends(state, main) {
  const granularity = ['day', 'week', 'month'].includes(state.granularity) ? state.granularity : 'day';
  const [measure, picker] = measureSelect(state, 'creditedHours');
  const answer = await api('/api/v1/stats/series', { ...filterParams(state), granularity });
  const gran = el('label', {}, t('granularity'), el('select', { id: 'granularity', on: { change: (e) => go({ granularity: e.target.value }) } },
    ['day', 'week', 'month'].map((g) => el('option', { value: g, selected: g === granularity }, t(g)))));
  const points = answer.points.map((p, i) => ({ id: i, ...p }));
  main.append(header(answer), toolbar(gran, picker),
    chart({
      xAxis: { type: 'category', data: points.map((p) => p.start) },
      yAxis: { type: 'value', name: t(measure) },
      series: [{ type: granularity === 'day' ? 'line' : 'bar', name: t(measure), connectNulls: false,
        data: points.map((p) => (p.suppressed ? null : p[measure])), itemStyle: { color: '#c62828' } }],
    }),
    table('series', [
      { key: 'start', label: t('start'), text: true, render: (r) => r.start },
      { key: 'end', label: t('end'), text: true, render: (r) => r.end },
      ...MEASURES.map((m) => ({ key: m, label: t(m) })),
    ], points));
  return points.some((p) => p.suppressed) || answer.total.suppressed;
}

async function regionPath(code) {
  if (!code || code === 'all') return [];
  const detail = await api(`/api/v1/regions/${code}`);
  return detail.path || [];
}

async function regions(state, main) {
  const [measure, picker] = measureSelect(state, 'creditedHours');
  const answer = await api('/api/v1/stats/regions', filterParams(state));
  const scope = scopeOf();
  const current = answer.filters.region.code;
  const crumbs = el('span', { class: 'crumbs', id: 'crumbs' });
  const path = await regionPath(current).catch(() => []);
  const links = [];
  if (scope === '') links.push({ code: 'all', name: t('nationwide') });
  path.forEach((p) => { if (p.code.startsWith(scope || '')) links.push({ code: p.code, name: p.name }); });
  if (current !== 'all' && !links.some((l) => l.code === current)) links.push({ code: current, name: answer.filters.region.name });
  links.forEach((l, i) => {
    if (i > 0) crumbs.append(' › ');
    crumbs.append(l.code === current ? el('strong', {}, l.name) : el('a', { on: { click: () => go({ region: l.code }) } }, l.name));
  });
  const rows = answer.regions.map((r) => ({ id: r.code, ...r, noLink: !r.level || r.code.length >= 12 }));
  const visible = rows.filter((r) => !r.suppressed && r.level);
  main.append(header(answer), toolbar(crumbs, picker),
    barChart(visible.map((r) => r.name), visible.map((r) => r[measure]), measure),
    table('regions', [
      { key: 'name', label: t('name'), text: true, render: (r) => r.name, link: (r) => go({ region: r.code }) },
      { key: 'code', label: t('code'), text: true, render: (r) => r.code },
      ...MEASURES.map((m) => ({ key: m, label: t(m) })),
    ], rows.concat([{ id: 'total', name: t('total'), code: current, noLink: true, ...answer.total }])));
  return rows.some((r) => r.suppressed) || answer.total.suppressed;
}

async function courses(state, main) {
  const sort = state.sort || 'credited-hours';
  const order = state.order === 'asc' ? 'asc' : 'desc';
  const answer = await api('/api/v1/stats/courses', { ...filterParams(state), sort, order });
  const rows = answer.courses.map((c) => ({ id: c.courseId, ...c }));
  const onSort = (key) => go({ sort: key, order: key === sort && order === 'desc' ? 'asc' : 'desc' });
  const visible = rows.filter((r) => !r.suppressed).slice(0, 20);
  main.append(header(answer), toolbar(),
    barChart(visible.map((r) => r.title), visible.map((r) => r.creditedHours), 'creditedHours'),
    table('courses', [
      { key: 'title', label: t('courseTitle'), text: true, sort: 'title', render: (r) => r.title,
        link: (r) => go({ view: 'course', id: r.courseId }) },
      { key: 'category', label: t('category'), text: true, render: (r) => categoryName(r.category) },
      { key: 'learners', label: t('learners'), sort: 'learners' },
      { key: 'courseCompletions', label: t('completions'), sort: 'completions' },
      { key: 'completionRate', label: t('completionRate'), sort: 'completion-rate' },
      { key: 'creditedHours', label: t('creditedHours'), sort: 'credited-hours' },
      { key: 'avgCreditedMinutes', label: t('avgMinutes'), sort: 'avg-credited-minutes' },
      { key: 'watchHours', label: t('watchHours'), sort: 'watch-hours' },
    ], rows, { onSort, sortedBy: sort, order }));
  return rows.some((r) => r.suppressed) || answer.total.suppressed;
}

async function course(state, main) {
  let detail;
  try {
    detail = await api(`/api/v1/courses/${state.id}`);
  } catch (e) {
    if (e.status === 404) {
      main.append(el('p', { class: 'error' }, t('notPublished')));
      return false;
    }
    throw e;
  }
  const lessons = detail.lessons || [];
  const curves = await Promise.all(lessons.map((l) => api(`/api/v1/stats/lessons/${l.id}/retention`, { region: state.region })));
  main.append(el('h2', {}, detail.title), el('p', { class: 'note' }, t('retentionNote')), toolbar(),
    chart({
      legend: { top: 5 },
      xAxis: { type: 'category', name: '%', data: Array.from({ length: 100 }, (_, i) => i + 1) },
      yAxis: { type: 'value', max: 1 },
      series: curves.map((c) => ({ type: 'line', name: c.lessonTitle, showSymbol: false,
        data: c.points.map((p) => (c.suppressed ? null : Number(p.share))) })),
    }));
  const rows = [{ id: 'viewers', percentile: t('viewers'), curves: curves.map((c) => (c.suppressed ? SUPPRESSED : formatNumber(c.viewers))) }];
  for (let p = 1; p <= 100; p += 1) {
    rows.push({ id: p, percentile: `${p}`, curves: curves.map((c) => (c.suppressed ? SUPPRESSED : `${formatNumber(Number(c.points[p - 1].share) * 100, 1)}%`)) });
  }
  main.append(table('retention', [
    { key: 'percentile', label: t('percentile'), text: true, render: (r) => r.percentile },
    ...curves.map((c, i) => ({ key: `lesson-${i}`, label: c.lessonTitle, render: (r) => r.curves[i] })),
  ], rows));
  return curves.some((c) => c.suppressed);
}

async function institutions(state, main) {
  const [measure, picker] = measureSelect(state, 'creditedHours');
  const answer = await api('/api/v1/stats/institutions', { ...filterParams(state), limit: 200 });
  const rows = answer.institutions.map((i) => ({ ...i }));
  const visible = rows.filter((r) => !r.suppressed).slice(0, 20);
  main.append(header(answer), toolbar(picker),
    barChart(visible.map((r) => r.name), visible.map((r) => r[measure]), measure),
    answer.truncated ? el('p', { class: 'note' }, t('truncated', { n: 200 })) : '',
    table('institutions', [
      { key: 'name', label: t('name'), text: true, render: (r) => r.name },
      { key: 'kind', label: t('kind'), text: true, render: (r) => (r.kind ? t(`kind.${r.kind}`) : '') },
      { key: 'regionCode', label: t('code'), text: true, render: (r) => r.regionCode },
      ...MEASURES.map((m) => ({ key: m, label: t(m) })),
    ], rows.concat([{ id: 'total', name: t('total'), ...answer.total }])));
  return rows.some((r) => r.suppressed) || answer.total.suppressed;
}

async function professions(state, main) {
  const [measure, picker] = measureSelect(state, 'creditedHours');
  const answer = await api('/api/v1/stats/professions', filterParams(state));
  const rows = answer.professions.map((p) => ({ id: p.code, ...p }));
  const visible = rows.filter((r) => !r.suppressed);
  main.append(header(answer), toolbar(picker),
    barChart(visible.map((r) => r.name), visible.map((r) => r[measure]), measure),
    table('professions', [
      { key: 'name', label: t('name'), text: true, render: (r) => r.name },
      ...MEASURES.map((m) => ({ key: m, label: t(m) })),
    ], rows.concat([{ id: 'total', name: t('total'), ...answer.total }])));
  return rows.some((r) => r.suppressed) || answer.total.suppressed;
}

const RENDERERS = { overview, trends, regions, courses, course, institutions, professions };

// ------------------------------------------------------------------ page

function renderChrome(state) {
  document.title = t('title');
  document.getElementById('title').textContent = t('title');
  document.getElementById('language').textContent = t('language');
  document.getElementById('logout').textContent = t('logout');
  const claims = auth.claims();
  const scope = scopeOf();
  document.getElementById('who').textContent = `${claims.preferred_username || ''} · ${t('scope')}: ${scope === '' ? t('nationwide') : scope ?? '-'}`;
  const nav = document.getElementById('nav');
  nav.replaceChildren(...VIEWS.map((v) => el('a', { href: hashOf({ ...state, view: v, id: undefined, sort: undefined, order: undefined }),
    class: v === state.view || (v === 'courses' && state.view === 'course') ? 'active' : '', 'data-view': v }, t(v))));
}

async function render() {
  const serial = ++renderSerial;
  const state = readState();
  // What tests (and anyone scripting the page) wait for: data-ready equals the hash once it is drawn.
  const hash = location.hash;
  charts.forEach((c) => c.dispose());
  charts = [];
  pendingCharts = [];
  lastTable = null;
  renderChrome(state);
  const main = document.getElementById('view');
  const footnote = document.getElementById('footnote');
  main.removeAttribute('data-ready');
  main.replaceChildren(el('p', { class: 'loading' }, t('loading')));
  footnote.textContent = '';
  const roles = (auth.claims().realm_access || {}).roles || [];
  if (!roles.includes('analyst') && !roles.includes('admin')) {
    main.replaceChildren(el('p', { class: 'error', id: 'error' }, t('noRole')));
    main.setAttribute('data-ready', hash);
    return;
  }
  if (!inScope(state.region)) {
    // Not even asked: the API would refuse it (403) anyway.
    document.getElementById('filters').hidden = true;
    main.replaceChildren(el('p', { class: 'error', id: 'error' }, t('outOfScope', { scope: scopeOf() || '-' })));
    main.setAttribute('data-ready', hash);
    return;
  }
  const content = el('div', { id: 'content', 'data-view': state.view });
  try {
    await renderFilters(state);
    const anySuppressed = await RENDERERS[state.view](state, content);
    if (serial !== renderSerial) return;
    main.replaceChildren(content);
    drawCharts();
    main.setAttribute('data-ready', hash);
    const notes = [];
    if (anySuppressed) notes.push(el('p', { id: 'note-suppressed' }, t('suppressedNote')));
    if (protection && protection.method === 'cell-key') {
      notes.push(el('p', { id: 'note-perturbed' }, t('perturbedNote', { count: protection.maxCountNoise, hours: protection.hoursNoise })));
    }
    footnote.replaceChildren(...notes);
  } catch (e) {
    if (serial !== renderSerial || e.message === 'login') return;
    main.replaceChildren(el('p', { class: 'error', id: 'error' }, e.message));
    main.setAttribute('data-ready', hash);
  }
}

async function start() {
  setLanguage(language());
  const config = await (await fetch('/api/v1/dashboard/config')).json();
  auth = new Auth(config);
  try {
    await auth.completeLogin();
  } catch (e) {
    document.getElementById('view').replaceChildren(el('p', { class: 'error', id: 'error' }, t('loginFailed') + e.message));
    return;
  }
  if (!auth.loggedIn) {
    await auth.login();
    return;
  }
  document.getElementById('language').addEventListener('click', () => {
    setLanguage(language() === 'en' ? 'zh-CN' : 'en');
    categoriesCache = null;
    render();
  });
  document.getElementById('logout').addEventListener('click', () => auth.logout());
  window.addEventListener('hashchange', render);
  window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
  render();
}

start();
