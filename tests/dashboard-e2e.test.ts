// The dashboard in a real browser against the real API on seeded data: every number it shows equals what
// the official @cubejs-client/core gets for the same query; dates, filters and the URL behave; pages render.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Query } from '@cubejs-client/core';
import { randomUUID } from 'node:crypto';
import { newTracker, buildPageView, buildStructEvent } from '@snowplow/node-tracker';
import { loadCollectorConfig, startCollector } from '@webcube/collector';
import { loadServerConfig, openPage, SCREENSHOTS, settled, startHarness, startServer, utcRange, type Harness } from './dashboard-harness.ts';

const KPIS: Record<string, string> = {
  users: 'sessions.users', 'new-users': 'sessions.new_users', sessions: 'sessions.count',
  'engagement-rate': 'sessions.engagement_rate', 'bounce-rate': 'sessions.bounce_rate', 'avg-engagement': 'sessions.average_engagement_time',
};

async function kpi(page: Page, id: string): Promise<number> {
  const el = page.getByTestId(`kpi-${id}`);
  await el.waitFor({ timeout: 20_000 });
  return Number(await el.getAttribute('data-value'));
}

function previous([from, to]: [string, string]): [string, string] {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  const shift = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  return [shift(from, -days), shift(from, -1)];
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: dashboard ${actual}, API ${expected}`);
}

async function apiTotals(h: Harness, cube: 'sessions' | 'page_views', measures: string[], range: [string, string], filters: Query['filters'] = []) {
  const time = cube === 'sessions' ? 'sessions.start_time' : 'page_views.timestamp';
  const rs = await h.api.load({ measures, timeDimensions: [{ dimension: time, dateRange: range }], filters, timezone: 'UTC' });
  const row = rs.tablePivot()[0] ?? {};
  return Object.fromEntries(measures.map((m) => [m, Number.parseFloat(String(row[m] ?? 0)) || 0]));
}

async function expectKpis(page: Page, h: Harness, range: [string, string], filters: Query['filters'] = []) {
  await settled(page);
  const sessions = await apiTotals(h, 'sessions', Object.values(KPIS), range, filters);
  const views = await apiTotals(h, 'page_views', ['page_views.count'], range,
    (filters ?? []).map((f) => ({ ...f, member: String((f as { member: string }).member).replace('sessions.', 'page_views.') })) as Query['filters']);
  for (const [id, member] of Object.entries(KPIS)) close(await kpi(page, id), sessions[member]!, id);
  close(await kpi(page, 'views'), views['page_views.count']!, 'views');
  return sessions;
}

async function firstRow(page: Page, testId: string): Promise<{ label: string; value: number }> {
  const row = page.getByTestId(testId).locator('tbody tr').first();
  await row.waitFor({ timeout: 20_000 });
  return { label: (await row.getAttribute('data-row-label')) ?? '', value: Number(await row.locator('td[data-value]').first().getAttribute('data-value')) };
}

async function apiTop(h: Harness, measure: string, dimension: string, time: string, range: [string, string]) {
  const rs = await h.api.load({ measures: [measure], dimensions: [dimension], order: { [measure]: 'desc' }, limit: 10,
    timeDimensions: [{ dimension: time, dateRange: range }], timezone: 'UTC' });
  return rs.tablePivot().map((r) => ({ label: String(r[dimension] ?? ''), value: Number.parseFloat(String(r[measure])) }));
}

describe('dashboard in Chromium', { timeout: 300_000 }, () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h?.close(); });

  test('Overview KPIs and top rows equal the API; date range and filter change them; the URL reproduces the view', async () => {
    const { page, context, errors } = await openPage(h);
    try {
      await page.goto(`${h.server.url}/?token=${h.token}`);
      await page.waitForURL((u) => !u.search.includes('token='), { timeout: 10_000 });
      const r28 = utcRange(28);
      const all = await expectKpis(page, h, r28);
      assert.ok(all['sessions.count']! > 0, 'the seed has sessions in the last 28 days');
      // The seed's days start after the 28 days before these began: there is no previous period to
      // compare with, so no card shows a percentage (it would measure the tracking starting).
      const seedStart = utcRange(h.seed.days)[0];
      assert.ok(seedStart > previous(r28)[0], `the seed (${h.seed.days} days) starts within the previous period`);
      for (const id of ['users', 'sessions', 'views']) {
        await page.getByTestId(`kpi-${id}-no-previous`).waitFor();
        assert.equal(await page.getByTestId(`kpi-${id}-change`).count(), 0, `${id}: no percentage`);
      }

      const topPages = await apiTop(h, 'page_views.count', 'page_views.page_path', 'page_views.timestamp', r28);
      const shownPage = await firstRow(page, 'top-pages-table');
      assert.equal(shownPage.value, topPages[0]!.value);
      assert.ok(topPages.filter((p) => p.value === shownPage.value).some((p) => p.label === shownPage.label));
      const topSources = await apiTop(h, 'sessions.count', 'sessions.source', 'sessions.start_time', r28);
      assert.equal((await firstRow(page, 'top-sources-table')).value, topSources[0]!.value);

      // Date range: pick "Last 7 days" in the picker.
      await page.getByTestId('range-select').locator('..').click();
      await page.getByRole('option', { name: 'Last 7 days' }).click();
      await page.waitForURL(/range=7d/);
      const week = await expectKpis(page, h, utcRange(7));
      assert.ok(week['sessions.count']! < all['sessions.count']!, '7 days has fewer sessions than 28');
      // The 7 days before lie within the seed: each card's change is against them, as the API counts them.
      const before = await apiTotals(h, 'sessions', ['sessions.count', 'sessions.users'], previous(utcRange(7)));
      for (const [id, member] of [['sessions', 'sessions.count'], ['users', 'sessions.users']] as const) {
        const expected = `${(Math.abs((week[member]! - before[member]!) / before[member]!) * 100).toFixed(1)}%`;
        await page.getByTestId(`kpi-${id}-change`).waitFor();
        assert.equal(await page.getByTestId(`kpi-${id}-change`).innerText(), expected, `${id} change`);
      }
      await page.getByTestId('traffic-chart').getByText('Previous period').waitFor();

      // Filter: country = DE through the filter form.
      await page.getByTestId('add-filter').click();
      await page.getByTestId('filter-value').fill('DE');
      await page.getByTestId('apply-filter').click();
      await page.waitForURL(/country=DE/);
      const de = await expectKpis(page, h, utcRange(7), [{ member: 'sessions.country', operator: 'equals', values: ['DE'] }]);
      assert.ok(de['sessions.count']! < week['sessions.count']!, 'the filter narrows the numbers');

      // The URL alone reproduces the view (token comes from storage, not the link).
      const link = page.url();
      const again = await context.newPage();
      await again.goto(link);
      await settled(again);
      close(await kpi(again, 'sessions'), de['sessions.count']!, 'sessions from the shared link');
      assert.equal(await again.getByTestId('filter-chip-country').count(), 1);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('without a token the login form takes one; a site without data shows the tracker snippet; the site picker scopes the numbers', async () => {
    const { page, context, errors } = await openPage(h);
    try {
      await page.goto(`${h.server.url}/?site=brand-new-site`);
      await page.getByLabel('API token').fill('not-a-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('This token was refused by the server.', { exact: false }).first().waitFor();
      await page.getByLabel('API token').fill(h.token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const snippet = page.getByTestId('tracker-snippet');
      await snippet.waitFor({ timeout: 20_000 });
      assert.match(await snippet.innerText(), /appId: 'brand-new-site'/);
      // The site picker lists the sites that have data; picking one scopes every number to it.
      await page.getByTestId('site-select').locator('..').click();
      await page.getByRole('option', { name: 'shop' }).click();
      await page.waitForURL(/site=shop/);
      await snippet.waitFor({ state: 'detached' });
      await expectKpis(page, h, utcRange(28), [{ member: 'sessions.app_id', operator: 'equals', values: ['shop'] }]);
      // Outside dev mode the server has no dev-token route and refuses the bad token: both expected here.
      assert.deepEqual(errors.filter((e) => !/dev-token|\/meta|404|403|401/.test(e)), []);
    } finally {
      await context.close();
    }
  });

  test('in dev mode the dashboard gets its token from the server, with no login', async () => {
    const dev = await startServer(loadServerConfig({ ...h.env, CUBEJS_DEV_MODE: 'true', CUBEJS_REFRESH_WORKER: 'false' }), { options: {} });
    const { page, context, errors } = await openPage(h);
    try {
      await page.goto(`${dev.url}/`);
      await settled(page);
      assert.ok(await kpi(page, 'sessions') > 0);
      assert.equal(await page.getByLabel('API token').count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      await dev.close();
    }
  });

  test('Acquisition, Engagement and Audience top rows equal the API', async () => {
    const { page, context, errors } = await openPage(h);
    const r28 = utcRange(28);
    try {
      await page.goto(`${h.server.url}/acquisition?token=${h.token}`);
      await settled(page);
      const channels = await apiTop(h, 'sessions.count', 'sessions.channel', 'sessions.start_time', r28);
      const ch = await firstRow(page, 'acq-channels-table');
      assert.equal(ch.value, channels[0]!.value);
      assert.ok(channels.some((c) => c.label === ch.label && c.value === ch.value));

      await page.goto(`${h.server.url}/engagement`);
      await settled(page);
      const pages = await apiTop(h, 'page_views.count', 'page_views.page_path', 'page_views.timestamp', r28);
      assert.equal((await firstRow(page, 'eng-pages-table')).value, pages[0]!.value);

      await page.goto(`${h.server.url}/audience`);
      await settled(page);
      const countries = await apiTop(h, 'sessions.users', 'sessions.country', 'sessions.start_time', r28);
      const c = await firstRow(page, 'aud-countries-table');
      assert.ok(countries.some((x) => x.label === c.label && x.value === c.value) && c.value === countries[0]!.value);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('Explorer runs a query from the URL and shows the API result', async () => {
    const { page, context, errors } = await openPage(h);
    try {
      const q = { measures: ['sessions.count'], dimensions: ['sessions.device_type'], segments: [], timeDimension: 'sessions.start_time', granularity: null, filters: [], chart: 'table', limit: 500 };
      await page.goto(`${h.server.url}/explorer?token=${h.token}&q=${encodeURIComponent(JSON.stringify(q))}`);
      await settled(page);
      const table = page.getByTestId('explorer-table');
      await table.locator('tbody tr').first().waitFor();
      const rs = await h.api.load({ measures: ['sessions.count'], dimensions: ['sessions.device_type'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: utcRange(28) }], timezone: 'UTC', limit: 500 });
      const expected = rs.tablePivot().map((r) => `${r['sessions.device_type']}=${r['sessions.count']}`).sort();
      const shown = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => {
        const cells = [...r.querySelectorAll('td')].map((td) => td.textContent ?? '');
        return `${cells[0]}=${cells[1]}`;
      }));
      assert.deepEqual(shown.sort(), expected);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('Explorer: dates formatted for their granularity on the axis and in the table, chips with short titles, no Compare switch', async () => {
    const { page, context, errors } = await openPage(h);
    try {
      const q = { measures: ['sessions.count'], dimensions: [], segments: [], timeDimension: 'sessions.start_time', granularity: 'day', filters: [], chart: 'line', limit: 500 };
      await page.goto(`${h.server.url}/explorer?token=${h.token}&q=${encodeURIComponent(JSON.stringify(q))}`);
      await settled(page, 60_000);
      const cells = page.locator('[data-testid="explorer-table"] td[data-member="sessions.start_time.day"]');
      await cells.first().waitFor();
      const days = await cells.evaluateAll((tds) => tds.map((td) => ({ raw: td.getAttribute('data-value') ?? '', shown: td.textContent ?? '' })));
      // en-US (the harness's locale): "Nov 15, 2026" for the day bucket 2026-11-15T00:00:00.000.
      const expected = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
      assert.ok(days.length >= 28);
      for (const d of days) assert.equal(d.shown, expected(d.raw), `table cell for ${d.raw}`);
      // The chart draws once its container is measured, after the table. Recharts 3 draws tick
      // labels in z-index layers outside the axis group: the y axis's are the bare numbers.
      const tickText = page.locator('[aria-label="Result chart"] text.recharts-cartesian-axis-tick-value');
      await page.waitForFunction(() => document.querySelectorAll('[aria-label="Result chart"] text.recharts-cartesian-axis-tick-value').length > 0, undefined, { timeout: 60_000 });
      const ticks = (await tickText.allTextContents()).filter((t) => !/^[\d.,]+$/.test(t));
      assert.ok(ticks.length > 0, 'the time axis has ticks');
      for (const t of ticks) assert.match(t, /^[A-Z][a-z]{2} \d{1,2}$/, `axis tick "${t}"`);
      const chips = await page.getByTestId('explorer-measures').locator('xpath=ancestor::div[contains(@class,"MuiAutocomplete-root")]').locator('.MuiChip-label').allInnerTexts();
      assert.deepEqual(chips, ['Sessions'], "Cube's shortTitle, not the cube and member title run together");
      assert.equal(await page.getByLabel('Compare').count(), 0, 'the Explorer draws no comparison, so it offers no switch');
      await page.goto(`${h.server.url}/`);
      assert.equal(await page.getByLabel('Compare').count(), 1, 'the Overview does');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('Overview: country flags are bundled images, and the sidebar spans the whole page', async () => {
    const { page, context, errors } = await openPage(h);
    try {
      await page.goto(`${h.server.url}/?token=${h.token}`);
      await settled(page, 60_000);
      const flags = page.getByTestId('top-countries-table').locator('img[data-testid="country-flag"]');
      await flags.first().waitFor();
      const shown = await flags.evaluateAll((imgs) => Promise.all((imgs as HTMLImageElement[]).map(async (img) => {
        img.loading = 'eager';
        await img.decode().catch(() => undefined);
        return { src: img.getAttribute('src') ?? '', width: img.naturalWidth };
      })));
      const rows = await page.getByTestId('top-countries-table').locator('tbody tr').count();
      assert.equal(shown.length, rows, 'one flag per country row');
      for (const f of shown) {
        assert.match(f.src, /^\/assets\/[A-Z]{2}-[\w-]+\.svg$/, 'an SVG file from the build, not a data URL or a CDN');
        assert.ok(f.width > 0, `${f.src} loads and decodes`);
      }
      const text = await page.getByTestId('top-countries-table').locator('tbody').innerText();
      assert.doesNotMatch(text, /[\u{1F1E6}-\u{1F1FF}]/u, 'no regional-indicator emoji left');
      // A page longer than the window: the sidebar's background reaches its bottom.
      await page.setViewportSize({ width: 1440, height: 600 });
      const { sidebar, page: pageHeight, bg } = await page.evaluate(() => {
        const el = document.querySelector('[data-testid="sidebar"]') as HTMLElement;
        return { sidebar: el.getBoundingClientRect().height, page: document.documentElement.scrollHeight, bg: getComputedStyle(el).backgroundColor };
      });
      assert.ok(pageHeight > 600, 'the Overview is longer than the window');
      assert.ok(sidebar >= pageHeight - 1, `sidebar ${sidebar}px tall on a ${pageHeight}px page`);
      assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'the sidebar itself carries the background');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('Funnels: a funnel link runs it, and each step equals the funnel API for the same request', async (t) => {
    const headers = { Authorization: h.token, 'Content-Type': 'application/json' };
    const body = { steps: [{ name: '/', page: '/' }, { name: '/pricing', page: '/pricing' }, { name: 'sign_up', event: 'sign_up' }], windowSeconds: 86400, dateRange: utcRange(28), compareDateRange: previous(utcRange(28)), timezone: 'UTC' };
    const submitted = await fetch(`${h.server.url}/cubejs-api/v1/funnels`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (submitted.status === 404) { t.skip('the funnel API is not mounted in server/src/api yet'); return; }
    assert.ok(submitted.ok, await submitted.clone().text());
    const { id } = await submitted.json() as { id: string };
    let job: { status: string; steps?: { completed: number }[] } = { status: 'queued' };
    while (job.status !== 'done' && job.status !== 'error') {
      await new Promise((r) => setTimeout(r, 200));
      job = await (await fetch(`${h.server.url}/cubejs-api/v1/funnels/${id}`, { headers })).json() as typeof job;
    }
    assert.equal(job.status, 'done');
    const { page, context, errors } = await openPage(h);
    try {
      await page.goto(`${h.server.url}/funnels?token=${h.token}&steps=${encodeURIComponent('page:%2F|page:%2Fpricing|event:sign_up')}&window=86400`);
      const cells = page.locator('[data-testid="funnel-table"] tbody tr td:nth-child(2)');
      await cells.first().waitFor({ timeout: 30_000 });
      const shown = (await cells.evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value')))));
      assert.deepEqual(shown, job.steps!.map((s) => s.completed));
      assert.ok(shown[0]! > 0 && shown[2]! <= shown[0]!);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('Realtime shows a page view sent through the official tracker within 15 s', async (t) => {
    let collector;
    try {
      collector = await startCollector(loadCollectorConfig({
        COLLECTOR_HOST: '127.0.0.1', COLLECTOR_PORT: '0', WEBCUBE_DATA_DIR: h.dir, COLLECTOR_FLUSH_MS: '200', COLLECTOR_GEOIP_DB: 'none',
      }));
    } catch (error) {
      // The collector is another area's work in progress; say why instead of failing on its behalf.
      t.skip(`collector did not start: ${(error as Error).message}`);
      return;
    }
    const { page, context, errors } = await openPage(h);
    try {
      await page.goto(`${h.server.url}/realtime?token=${h.token}&site=shop`);
      await settled(page);
      const path = `/live-${randomUUID().slice(0, 8)}`;
      const tracker = newTracker({ namespace: 'e2e', appId: 'shop', encodeBase64: false },
        { endpoint: '127.0.0.1', port: collector.port, protocol: 'http', bufferSize: 1 });
      tracker.setDomainUserId(randomUUID());
      tracker.setSessionId(randomUUID());
      tracker.setSessionIndex(1);
      tracker.track(buildPageView({ pageUrl: `https://shop.example${path}`, pageTitle: 'Live' }),
        [{ schema: 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0', data: { id: randomUUID() } }]);
      await tracker.flush();
      const deadline = Date.now() + 15_000;
      // The page re-queries by itself; nothing here reloads it. The table and the KPI are separate
      // queries, so each gets until the same deadline to show the event.
      await page.locator(`[data-testid="rt-pages-table"] tr[data-row-label="${path}"]`).waitFor({ timeout: 15_000 });
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="kpi-active-5"]')?.getAttribute('data-value')) >= 1,
        undefined, { timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined);
      assert.ok(await kpi(page, 'active-5') >= 1, 'active users (5 min) did not count the event within 15 s');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      await collector.close();
    }
  });

  test('Realtime cards agree with what was sent: active users and views in the last 30 minutes', async (t) => {
    let collector;
    try {
      collector = await startCollector(loadCollectorConfig({
        COLLECTOR_HOST: '127.0.0.1', COLLECTOR_PORT: '0', WEBCUBE_DATA_DIR: h.dir, COLLECTOR_FLUSH_MS: '200', COLLECTOR_GEOIP_DB: 'none',
      }));
    } catch (error) {
      t.skip(`collector did not start: ${(error as Error).message}`);
      return;
    }
    const site = `rt-${randomUUID().slice(0, 8)}`;
    const { page, context, errors } = await openPage(h);
    try {
      // Truth: 4 users, 1 + 2 + 3 + 4 page views, all now, on a site nothing else writes to.
      const users = 4;
      let views = 0;
      for (let u = 1; u <= users; u++) {
        const tracker = newTracker({ namespace: `rt${u}`, appId: site, encodeBase64: false },
          { endpoint: '127.0.0.1', port: collector.port, protocol: 'http', bufferSize: 1 });
        tracker.setDomainUserId(randomUUID());
        tracker.setSessionId(randomUUID());
        tracker.setSessionIndex(1);
        for (let v = 0; v < u; v++, views++) {
          tracker.track(buildPageView({ pageUrl: `https://shop.example/rt/${v}`, pageTitle: 'RT' }),
            [{ schema: 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0', data: { id: randomUUID() } }]);
        }
        // A server-side structured event has no page: it is activity, but on no page.
        tracker.track(buildStructEvent({ category: 'backend', action: 'sync' }));
        await tracker.flush();
      }
      await page.goto(`${h.server.url}/realtime?token=${h.token}&site=${site}`);
      // No named functions inside evaluate: tsx's __name helper does not exist in the page.
      const read = () => page.evaluate(() => Object.fromEntries([['active5', 'kpi-active-5'], ['active30', 'kpi-active-30'], ['views30', 'rt-minutes-total']]
        .map(([key, id]) => [key, Number(document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-value') ?? NaN)])));
      const truth = { active5: users, active30: users, views30: views };
      let shown = await read();
      for (const deadline = Date.now() + 60_000; Date.now() < deadline && JSON.stringify(shown) !== JSON.stringify(truth);) {
        await new Promise((r) => setTimeout(r, 250));
        shown = await read();
      }
      assert.deepEqual(shown, truth);
      // Users per page: user u viewed /rt/0 … /rt/(u-1); the page-less events make no "(not set)" row.
      const pageRows = await page.getByTestId('rt-pages-table').locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-row-label'), Number(tr.querySelector('[data-value]')?.getAttribute('data-value'))]));
      assert.deepEqual(pageRows, [['/rt/0', 4], ['/rt/1', 3], ['/rt/2', 2], ['/rt/3', 1]], 'one row per page path sent, none for the page-less events');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      await collector.close();
    }
  });

  test('screenshots of every page at desktop and phone width, without console errors or sideways scrolling', async () => {
    const funnel = `/funnels?steps=${encodeURIComponent('page:%2F|page:%2Fpricing|event:sign_up')}&window=86400`;
    const paths = ['/', '/realtime', '/acquisition', '/engagement', '/audience', funnel, '/explorer'];
    const problems: string[] = [];
    // Until server/src/funnels is mounted the saved-funnels list is a 404; that one absence is not the page's fault.
    const funnelsMissing = (await fetch(`${h.server.url}/cubejs-api/v1/funnels`, { headers: { Authorization: h.token } })).status === 404;
    for (const [label, viewport] of [['desktop', { width: 1440, height: 1000 }], ['phone', { width: 390, height: 844 }]] as const) {
      const { page, context, errors } = await openPage(h, viewport);
      try {
        await page.goto(`${h.server.url}/?token=${h.token}`);
        await page.waitForURL((u) => !u.search.includes('token='));
        await settled(page);
        for (const path of paths) {
          await page.goto(`${h.server.url}${path}`);
          await settled(page);
          const name = path === '/' ? 'overview' : path.slice(1).split('?')[0]!;
          await page.screenshot({ path: join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (overflow > 1) problems.push(`${name} at ${label} width scrolls sideways by ${overflow}px`);
          // Screen readers: every control a user can reach has an accessible name.
          const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button, [role="combobox"], [role="button"]')]
            .filter((el) => !el.closest('[aria-hidden="true"]') && el.getAttribute('aria-hidden') !== 'true' && (el as HTMLElement).tabIndex >= 0
              && !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el as HTMLInputElement).labels?.length || el.textContent?.trim() || el.getAttribute('title')))
            .map((el) => el.outerHTML.slice(0, 120)));
          problems.push(...unnamed.map((u) => `${name} at ${label} width: control without a name: ${u}`));
        }
        const funnel404 = (e: string, i: number) => funnelsMissing && (/\/v1\/funnels$/.test(e) || (/404/.test(e) && /\/v1\/funnels$/.test(errors[i - 1] ?? '')));
        problems.push(...errors.filter((e, i) => !funnel404(e, i)).map((e) => `${label}: ${e}`));
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(problems, []);
  });
});
