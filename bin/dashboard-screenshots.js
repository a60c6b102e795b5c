// Run by bin/dashboard-screenshots: logs in to the dashboard and saves a screenshot of each view.
const { chromium } = require('playwright-core');
const path = require('path');

const base = `${process.env.BASE}/dashboard/`;
const out = process.env.OUT;
const password = process.env.HONGTONG_DEV_PASSWORD || 'hongtong-dev';

async function ready(page) {
  await page.waitForFunction(() => document.querySelector('#view').getAttribute('data-ready') === location.hash,
    null, { timeout: 30000 });
  await page.waitForTimeout(300);
}

async function show(page, name, hash) {
  await page.goto(base + hash);
  await ready(page);
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  console.log(`[screenshots] ${name}: ${hash}`);
}

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}#/overview?preset=30d`);
  await page.waitForSelector('#username');
  await page.fill('#username', process.env.USER_NAME);
  await page.fill('#password', password);
  await page.click('#kc-login');
  await page.waitForURL((url) => url.toString().startsWith(base));
  await ready(page);
  await show(page, 'overview', '#/overview?preset=30d');
  await show(page, 'trends', '#/trends?preset=30d&granularity=day&measure=activeLearners');
  await show(page, 'regions', '#/regions?preset=30d&region=52');
  await show(page, 'courses', '#/courses?preset=30d');
  const course = await page.getAttribute('#data tbody tr', 'data-row');
  await show(page, 'course', `#/course?preset=30d&id=${course}`);
  await show(page, 'institutions', '#/institutions?preset=30d');
  await show(page, 'professions', '#/professions?preset=30d');
  await browser.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
