#!/usr/bin/env node
// The web map (web/, served by `landbank serve` at `/` and `/app/…`) in a real browser against a running server.
//
// Usage: node tests/browser/webmap.mjs BASE_URL PLANNER_TOKEN SCREENSHOT_DIR
//   e.g. node tests/browser/webmap.mjs http://127.0.0.1:8080 "$TOKEN" target/screenshots
//
// The server must hold the Dongxing fixtures; the test writes (it reserves a parcel and releases it again). It opens
// the page in Debian's Chromium (LANDBANK_TEST_CHROMIUM, default /usr/bin/chromium) through playwright-core with
// WebGL from SwiftShader, and checks what a person sees against the API's own answers:
//   map        the park's layers are drawn: parcels (against the items endpoint for the same view), zones with the
//              Mong Cai counterpart, roads and bridges
//   investor   a land filter narrows the list to exactly what /availability/land answers, the map shows the same
//              ids, hovering and clicking keep list and map in step, the URL holds the filter and a reload restores it
//   keyboard   with the keyboard only: the tabs' arrow keys, the filter form, a search, a result's details, Escape
//   planner    a wrong token shows the server's 401 message; the right one signs in
//   carve      a carved candidate's preview draws two pieces whose areas add up to the parcel's
//   reserve    reserving an available parcel repaints it from available to held (rendered property, style colour
//              and the pixels inside it), and releasing it makes it available again
//   dashboard  every headline figure shown equals /stats; the charts are drawn; a zone shows that zone's figures
//   language   English and Chinese: known strings, <html lang>, map labels, and no visible untranslated key
// Screenshots (1280×800): map.png, investor-filter.png, carve-preview.png, planner-reserved.png, dashboard.png,
// map-en.png. Prints one line per check; exits 1 naming every failed check.

import { mkdirSync } from 'node:fs';
import path from 'node:path';

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  // WebGL without a GPU: ANGLE on SwiftShader (see maplibre-snippet.mjs).
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
const TIMEOUT_MS = 30_000;
const VIEWPORT = { width: 1280, height: 800 };

const [baseArg, token, shotDir] = process.argv.slice(2);
if (!baseArg || !token || !shotDir) {
  console.error('usage: node tests/browser/webmap.mjs BASE_URL PLANNER_TOKEN SCREENSHOT_DIR');
  process.exit(2);
}
const base = baseArg.replace(/\/+$/, '');
mkdirSync(shotDir, { recursive: true });

const started = Date.now();
const failures = [];
function check(condition, message, detail = '') {
  if (condition) console.log(`  ok: ${message}`);
  else {
    failures.push(detail ? `${message}: ${detail}` : message);
    console.log(`  FAILED: ${message}${detail ? `: ${detail}` : ''}`);
  }
  return Boolean(condition);
}
function section(name) {
  console.log(`${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

// --- the API, as the test sees it ---------------------------------------------------------------------------------

async function api(pathname, { method = 'GET', body, auth = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (auth) headers.Authorization = `Bearer ${auth === true ? token : auth}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${base}${pathname}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text };
}

async function apiOk(pathname, options) {
  const answer = await api(pathname, options);
  if (answer.status >= 400) throw new Error(`${options?.method || 'GET'} ${pathname}: ${answer.status} ${answer.text.slice(0, 300)}`);
  return answer.json;
}

const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
const setText = (s) => [...s].sort().join(',');
/** The first number in a text ("1,699.5 mu" → 1699.5). */
const numberIn = (text) => {
  const m = /-?\d[\d,]*(\.\d+)?/.exec(text || '');
  return m ? Number(m[0].replace(/,/g, '')) : NaN;
};

// --- the browser --------------------------------------------------------------------------------------------------

const { chromium } = await import('playwright-core');
const executablePath = process.env.LANDBANK_TEST_CHROMIUM || '/usr/bin/chromium';
let browser;
try {
  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: TIMEOUT_MS });
} catch (e) {
  console.error(`webmap: ${executablePath} does not start through playwright-core: ${e.message}`);
  process.exit(1);
}

let exitCode = 1;
let currentPage = null;
try {
  exitCode = await run();
} catch (e) {
  console.error(`webmap: ${e.stack || e}`);
  await currentPage?.screenshot({ path: path.join(shotDir, 'failure.png') }).catch(() => {});
  if (failures.length) console.log(`\n${failures.length} check(s) failed before that:\n  - ${failures.join('\n  - ')}`);
  exitCode = 1;
} finally {
  await browser.close().catch(() => {});
}
console.log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(exitCode);

async function run() {
  console.log(`web map at ${base}/ in ${executablePath} (Chromium ${browser.version()})`);
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', serviceWorkers: 'block' });
  const page = await context.newPage();
  currentPage = page;
  page.setDefaultTimeout(TIMEOUT_MS);
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[0-9]/.test(m.text())) errors.push(`console.error: ${m.text()}`);
  });
  page.on('dialog', (d) => d.accept());
  const serverErrors = [];
  page.on('response', (r) => {
    if (r.url().startsWith(base) && r.status() >= 500) serverErrors.push(`${r.status()} ${r.url()}`);
  });

  const settled = () => page.evaluate(() => window.landbank.settled());
  const shot = (name) => page.screenshot({ path: path.join(shotDir, name) });

  // --- map --------------------------------------------------------------------------------------------------------
  section('map');
  const landing = await page.goto(`${base}/`, { waitUntil: 'load' });
  check(landing.status() === 200 && (landing.headers()['content-type'] || '').startsWith('text/html'),
    `GET ${base}/ answers the page (${landing.status()} ${landing.headers()['content-type']})`);
  await page.waitForFunction(() => window.landbank && window.landbank.map, null, { timeout: TIMEOUT_MS });
  await page.evaluate(() => window.landbank.ready);
  await settled();
  check(await page.evaluate(() => document.documentElement.lang) === 'en', '<html lang="en"> for an en-US browser');

  const view = await page.evaluate(() => {
    const map = window.landbank.map;
    const b = map.getBounds();
    const ids = (layer) => [...new Set(map.queryRenderedFeatures({ layers: [layer] }).map((f) => f.id))];
    const props = (layer, key) => [...new Set(map.queryRenderedFeatures({ layers: [layer] }).map((f) => f.properties[key]))];
    return {
      bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
      zoom: map.getZoom(),
      parcels: ids('parcels-fill'),
      availability: props('parcels-fill', 'availability'),
      zones: props('zones-fill', 'code'),
      pois: props('pois-lines', 'kind').concat(props('pois-points', 'kind')),
      zoneLabels: map.queryRenderedFeatures({ layers: ['zone-labels'] }).length,
    };
  });
  const bboxQuery = view.bbox.map((v) => v.toFixed(6)).join(',');
  const inView = await apiOk(`/collections/parcels/items?bbox=${bboxQuery}&limit=10000&properties=availability`);
  const expected = inView.features.filter((f) => f.properties.availability !== 'retired').length;
  check(view.parcels.length >= 0.8 * expected && view.parcels.length <= expected,
    `the parcels are drawn: ${view.parcels.length} distinct parcels rendered at zoom ${view.zoom.toFixed(2)}, ` +
      `${expected} live parcels in view per /collections/parcels/items?bbox=… (availability ${view.availability.sort().join('/')})`);
  check(view.zones.includes('VN-HY') && view.zones.length >= 5,
    `the zones are drawn, with the Mong Cai counterpart: ${view.zones.sort().join(', ')}`);
  check(view.pois.includes('road') && view.pois.includes('bridge_freight') && view.pois.includes('service_centre'),
    `roads, bridges and the service centre are drawn: ${[...new Set(view.pois)].sort().join(', ')}`);
  check(view.zoneLabels >= 4, `zone labels are placed (${view.zoneLabels})`);
  await shot('map.png');

  // --- investor filter --------------------------------------------------------------------------------------------
  section('investor');
  await page.selectOption('#f-class', 'II');
  await page.fill('#f-min_area_mu', '20');
  await page.click('#investor-search');
  await settled();
  const land = await apiOk('/availability/land?class=II&min_area_mu=20&limit=500');
  const apiIds = new Set(land.features.map((f) => String(f.id)));
  const listed = await page.$$eval('#results button.result', (items) => items.map((b) => b.dataset.key));
  const everything = await apiOk('/availability/land?limit=500');
  check(listed.length === land.numberMatched && listed.length < everything.numberMatched,
    `class II + at least 20 mu narrows the list to ${listed.length}: /availability/land answers ${land.numberMatched} ` +
      `(of ${everything.numberMatched} without filters)`);
  check(sameSet(new Set(listed), apiIds), 'the listed parcels are the ids /availability/land answers',
    `listed ${listed.join(',')}; api ${setText(apiIds)}`);
  const mapped = await page.evaluate(() => {
    const map = window.landbank.map;
    return {
      keys: [...new Set(map.queryRenderedFeatures({ layers: ['results-fill'] }).map((f) => String(f.properties.key)))],
      opacity: JSON.stringify(map.getPaintProperty('parcels-fill', 'fill-opacity')),
    };
  });
  check(sameSet(new Set(mapped.keys), apiIds), `the map highlights the same ${mapped.keys.length} parcels`,
    `map ${setText(new Set(mapped.keys))}; api ${setText(apiIds)}`);
  check([...apiIds].every((id) => mapped.opacity.includes(id)), 'the other parcels are dimmed on the map');
  const count = await page.textContent('#result-count');
  check(numberIn(count) === land.numberMatched, `the count reads "${count}"`);
  await shot('investor-filter.png');

  // Hovering a list item highlights it on the map; clicking its parcel on the map selects it in the list.
  const second = listed[1] ?? listed[0];
  await page.hover(`#results button.result[data-key="${second}"]`);
  const hoverFilter = await page.evaluate(() => JSON.stringify(window.landbank.map.getFilter('results-hover')));
  check(hoverFilter.includes(`"${second}"`), `hovering result ${second} highlights it on the map (${hoverFilter})`);
  const target = land.features.find((f) => String(f.id) === second);
  const point = await page.evaluate(async (geometry) => {
    const map = window.landbank.map;
    const ring = geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0][0];
    const xs = ring.map((c) => c[0]);
    const ys = ring.map((c) => c[1]);
    map.jumpTo({ center: [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2], zoom: 15.5 });
    await window.landbank.settled();
    const hits = [];
    const rect = map.getCanvas().getBoundingClientRect();
    // A point inside the polygon: the box centre if inside, else scan the box.
    const inside = (x, y) => {
      let c = false;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
      }
      return c;
    };
    for (let fy = 0.5; fy > 0 && !hits.length; fy -= 0.1) {
      for (const fx of [0.5, 0.4, 0.6, 0.3, 0.7]) {
        const lon = Math.min(...xs) + fx * (Math.max(...xs) - Math.min(...xs));
        const lat = Math.min(...ys) + fy * (Math.max(...ys) - Math.min(...ys));
        if (inside(lon, lat)) {
          const p = map.project([lon, lat]);
          hits.push({ x: rect.left + p.x, y: rect.top + p.y });
          break;
        }
      }
    }
    return hits[0] || null;
  }, target.geometry);
  if (check(point, `found a point inside parcel ${target.properties.plot_no} to click`)) {
    await page.mouse.move(point.x, point.y);
    await page.mouse.click(point.x, point.y);
    await settled();
    const selected = await page.evaluate(() => ({
      current: [...document.querySelectorAll('#results button.result[aria-current="true"]')].map((b) => b.dataset.key),
      title: document.getElementById('detail-title').textContent,
      open: !document.getElementById('detail').hidden,
      specs: document.querySelectorAll('#detail-body .specs dt').length,
    }));
    check(selected.current.length === 1 && selected.current[0] === second,
      `clicking parcel ${target.properties.plot_no} on the map selects it in the list`, JSON.stringify(selected.current));
    check(selected.open && selected.title.includes(target.properties.plot_no) && selected.specs >= 8,
      `its detail panel opens: "${selected.title}" with ${selected.specs} specs`);
  }
  await page.evaluate(() => window.landbank.flushUrl());
  const shared = page.url();
  const sharedQuery = new URL(shared).searchParams;
  check(sharedQuery.get('mode') === 'land' && sharedQuery.get('class') === 'II' && sharedQuery.get('min_area_mu') === '20' &&
    sharedQuery.get('sel') === `parcels.${second}` && sharedQuery.get('map'),
    `the URL holds the view, the filter and the selection: ${shared.slice(base.length)}`);

  await page.goto(shared, { waitUntil: 'load' });
  await page.waitForFunction(() => window.landbank && window.landbank.map);
  await page.evaluate(() => window.landbank.ready);
  await settled();
  const restored = await page.evaluate(() => ({
    cls: document.getElementById('f-class').value,
    min: document.getElementById('f-min_area_mu').value,
    listed: [...document.querySelectorAll('#results button.result')].map((b) => b.dataset.key),
    current: [...document.querySelectorAll('#results button.result[aria-current="true"]')].map((b) => b.dataset.key),
    detail: document.getElementById('detail').hidden ? '' : document.getElementById('detail-title').textContent,
    zoom: window.landbank.map.getZoom(),
  }));
  check(restored.cls === 'II' && restored.min === '20' && sameSet(new Set(restored.listed), apiIds),
    `reloading the shared URL restores the filter and its ${restored.listed.length} results`);
  check(restored.current[0] === second && restored.detail.includes(target.properties.plot_no) &&
    Math.abs(restored.zoom - Number(sharedQuery.get('map').split('/')[0])) < 0.05,
    `…and the selection ("${restored.detail}") and the map view (zoom ${restored.zoom.toFixed(2)})`);

  // --- keyboard ---------------------------------------------------------------------------------------------------
  section('keyboard');
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.landbank && window.landbank.map);
  await page.evaluate(() => window.landbank.ready);
  await settled();
  const active = () => page.evaluate(() => {
    const el = document.activeElement;
    return { id: el?.id || '', tag: el?.tagName || '', role: el?.getAttribute('role') || '', key: el?.dataset?.key || '',
      cls: el?.className || '' };
  });
  async function tabTo(predicate, limit = 60) {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      const a = await active();
      if (predicate(a)) return a;
    }
    return null;
  }
  const tab = await tabTo((a) => a.role === 'tab');
  check(tab?.id === 'tab-investor', `Tab reaches the view tabs (${tab?.id})`);
  await page.keyboard.press('ArrowRight');
  const afterRight = await page.evaluate(() => ({
    focus: document.activeElement.id,
    planner: !document.getElementById('panel-planner').hidden,
    selected: document.getElementById('tab-planner').getAttribute('aria-selected'),
  }));
  await page.keyboard.press('ArrowLeft');
  const afterLeft = await page.evaluate(() => ({ focus: document.activeElement.id,
    investor: !document.getElementById('panel-investor').hidden }));
  check(afterRight.focus === 'tab-planner' && afterRight.planner && afterRight.selected === 'true' &&
    afterLeft.focus === 'tab-investor' && afterLeft.investor, 'ArrowRight/ArrowLeft move between the tabs and show their panels');
  const field = await tabTo((a) => a.id === 'f-min_area_mu');
  check(field, 'Tab reaches the filter form (minimum area)');
  await page.keyboard.type('30');
  await page.keyboard.press('Enter');
  await settled();
  const keyed = await apiOk('/availability/land?min_area_mu=30&limit=500');
  const keyedListed = await page.$$eval('#results button.result', (items) => items.map((b) => b.dataset.key));
  check(keyedListed.length === keyed.numberMatched && keyedListed.length > 0,
    `Enter runs the search: ${keyedListed.length} results, /availability/land?min_area_mu=30 answers ${keyed.numberMatched}`);
  const result = await tabTo((a) => a.cls.includes('result') && a.key !== '');
  check(result, `Tab reaches the first result (${result?.key})`);
  await page.keyboard.press('Enter');
  await settled();
  const opened = await page.evaluate(() => ({
    open: !document.getElementById('detail').hidden,
    title: document.getElementById('detail-title').textContent,
    focusInPanel: document.getElementById('detail').contains(document.activeElement),
  }));
  const firstPlot = keyed.features.find((f) => String(f.id) === result?.key)?.properties.plot_no;
  check(opened.open && firstPlot && opened.title.includes(firstPlot) && opened.focusInPanel,
    `Enter opens its detail panel ("${opened.title}") and moves the focus into it`);
  await page.keyboard.press('Escape');
  const closed = await page.evaluate(() => ({ hidden: document.getElementById('detail').hidden,
    focus: document.activeElement?.dataset?.key || '' }));
  check(closed.hidden && closed.focus === result?.key, 'Escape closes it and returns the focus to the result');

  // --- planner: sign in -------------------------------------------------------------------------------------------
  section('planner');
  await page.click('#tab-planner');
  const wrong = 'not-the-token-0000000000';
  const refused = await api('/reservations?status=active', { auth: wrong });
  await page.fill('#token-input', wrong);
  await page.click('#signin-button');
  await page.waitForFunction(() => document.getElementById('signin-error').textContent.trim() !== '');
  const shownError = await page.evaluate(() => ({
    inline: document.getElementById('signin-error').textContent,
    alert: document.querySelector('[data-testid="alert-detail"]').textContent,
    live: document.getElementById('alert').getAttribute('aria-live'),
  }));
  check(refused.status === 401 && refused.json?.detail && shownError.inline.includes(refused.json.detail) &&
    shownError.alert === refused.json.detail && shownError.live === 'assertive',
    `a wrong token shows the server's 401 detail in a live region: "${refused.json?.detail}"`);
  await page.fill('#token-input', token);
  await page.click('#signin-button');
  await page.waitForSelector('#planner-tools:not([hidden])');
  await settled();
  const stored = await page.evaluate(() => sessionStorage.getItem('landbank.token'));
  check(stored === token, 'the planner signs in with the token (kept in sessionStorage)');

  // --- carve preview ----------------------------------------------------------------------------------------------
  section('carve');
  const need = { industry: 'seafood_processing', class: 'II', fixed_asset_investment_wan: 15000, land_mu: 60 };
  const planAnswer = await apiOk('/allocation-plans', { method: 'POST', body: need });
  const carved = planAnswer.candidates.find((c) => c.kind === 'carved');
  await page.selectOption('#fit-form select[name="industry"]', need.industry);
  await page.selectOption('#fit-form select[name="class"]', need.class);
  await page.fill('#fit-form input[name="fixed_asset_investment_wan"]', String(need.fixed_asset_investment_wan));
  await page.fill('#fit-form input[name="land_mu"]', String(need.land_mu));
  await page.click('#fit-submit');
  await page.waitForSelector('#candidates li.candidate');
  await settled();
  const candidates = await page.$$eval('#candidates li.candidate', (items) => items.map((li) => ({ key: li.dataset.key,
    kind: li.dataset.kind })));
  check(candidates.length === planAnswer.candidates.length &&
    candidates.every((c, i) => c.kind === planAnswer.candidates[i].kind),
    `the plan lists the ${planAnswer.candidates.length} ranked candidates of POST /allocation-plans ` +
      `(${candidates.map((c) => c.kind).join(', ')})`);
  const drawnCandidates = await page.evaluate(() =>
    new Set(window.landbank.map.queryRenderedFeatures({ layers: ['candidates-fill'] }).map((f) => f.properties.key)).size);
  check(drawnCandidates > 0, `the candidates are drawn on the map (${drawnCandidates} in view)`);
  if (check(carved, 'the plan has a carved candidate')) {
    await page.click(`#candidates li.candidate[data-key="${carved.rank}"] button.primary`);
    await page.waitForSelector('#carve-panel:not([hidden]) [data-testid="carve-piece-area"]');
    await settled();
    const parent = await apiOk(`/collections/parcels/items/${carved.split.parcel_id}`);
    const pieces = await page.evaluate(() => ({
      drawn: [...new Set(window.landbank.map.queryRenderedFeatures({ layers: ['carve-preview-fill'] })
        .map((f) => f.properties.piece))],
      texts: [...document.querySelectorAll('#carve-panel [data-testid="carve-piece-area"]')].map((e) => e.textContent),
    }));
    const areas = pieces.texts.map(numberIn);
    const total = areas.reduce((s, a) => s + a, 0);
    const parentArea = parent.properties.stated_area_mu;
    check(pieces.drawn.length === 2, `the preview draws two pieces on the map (${pieces.drawn.sort().join(', ')})`);
    check(pieces.texts.length === 2 && Math.abs(total - parentArea) <= 0.01 &&
      areas.some((a) => Math.abs(a - carved.split.area_mu) <= 0.001),
      `the panel shows their areas ${pieces.texts.join(' + ')} = ${total.toFixed(3)} mu, the parcel ` +
        `${parent.properties.plot_no} has ${parentArea} mu`);
    await shot('carve-preview.png');
    await page.click('#carve-panel button:last-child');
  }

  // --- reserve ----------------------------------------------------------------------------------------------------
  section('reserve');
  const projects = await apiOk('/collections/projects/items?limit=1000', { auth: true });
  const project = projects.features.find((p) => p.properties.required_class === 'I' && p.properties.stage === 'signed') ||
    projects.features.find((p) => p.properties.required_class === 'I');
  const avoid = new Set(planAnswer.candidates.flatMap((c) => c.parcel_ids || []));
  const free = await apiOk('/availability/land?class=I&min_area_mu=8&limit=500');
  const parcel = free.features.find((f) => !avoid.has(f.id) && f.properties.zone !== 'JP') || free.features[0];
  const colours = await page.evaluate(() => {
    const e = window.landbank.map.getPaintProperty('parcels-fill', 'fill-color');
    const out = {};
    for (let i = 2; i + 1 < e.length; i += 2) out[e[i]] = e[i + 1];
    return out;
  });
  check(colours.available && colours.held && colours.available !== colours.held,
    `the style paints available parcels ${colours.available} and held ones ${colours.held}`);

  /** Pans to the parcel and classifies the screen's pixels inside it (amber = held, green = available). */
  const look = async () => {
    const where = await page.evaluate(async (geometry) => {
      const map = window.landbank.map;
      const ring = geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0][0];
      const xs = ring.map((c) => c[0]);
      const ys = ring.map((c) => c[1]);
      const centre = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
      if (map.getZoom() < 15.9 || map.project(centre).dist(map.project(map.getCenter())) > 5) {
        map.jumpTo({ center: centre, zoom: 16, offset: [-150, 0] });
      }
      await window.landbank.settled();
      const rect = map.getCanvas().getBoundingClientRect();
      return { rect: { left: rect.left, top: rect.top }, ring: ring.map((c) => map.project(c)).map((p) => [p.x, p.y]),
        centre: map.project(centre) };
    }, parcel.geometry);
    const png = await page.screenshot();
    const counts = await page.evaluate(async ({ b64, where }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = Object.assign(document.createElement('canvas'), { width: img.width, height: img.height });
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      const ring = where.ring;
      const inside = (x, y) => {
        let c = false;
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [xi, yi] = ring[i];
          const [xj, yj] = ring[j];
          if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
        }
        return c;
      };
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      let amber = 0;
      let green = 0;
      let total = 0;
      for (let y = Math.max(0, Math.floor(Math.min(...ys))); y < Math.min(img.height - where.rect.top, Math.max(...ys)); y += 2) {
        for (let x = Math.max(0, Math.floor(Math.min(...xs))); x < Math.min(img.width - where.rect.left, Math.max(...xs)); x += 2) {
          if (!inside(x, y)) continue;
          const i = (Math.round(y + where.rect.top) * img.width + Math.round(x + where.rect.left)) * 4;
          const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
          total++;
          if (r > 200 && g > 120 && g < 215 && b < 130 && r > g + 25) amber++;
          else if (g > r + 30 && g > b + 15) green++;
        }
      }
      return { amber, green, total };
    }, { b64: png.toString('base64'), where });
    const rendered = await page.evaluate((id) => {
      const f = window.landbank.map.queryRenderedFeatures({ layers: ['parcels-fill'] }).find((x) => x.id === id);
      return f ? f.properties.availability : null;
    }, parcel.id);
    return { ...counts, rendered };
  };

  const before = await look();
  check(before.rendered === 'available' && before.green > 0.6 * before.total,
    `parcel ${parcel.properties.plot_no} is drawn available: ${before.green} of ${before.total} sampled pixels green`);
  const centre = await page.evaluate((geometry) => {
    const map = window.landbank.map;
    const ring = geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0][0];
    const xs = ring.map((c) => c[0]);
    const ys = ring.map((c) => c[1]);
    const p = map.project([(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2]);
    const rect = map.getCanvas().getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  }, parcel.geometry);
  await page.mouse.click(centre.x, centre.y);
  await page.waitForSelector('[data-testid="reserve-submit"]');
  await page.selectOption('[data-testid="reserve-project"]', String(project.id));
  await page.click('[data-testid="reserve-submit"]');
  await page.waitForFunction((plot) => document.getElementById('status').textContent.includes(plot) ||
    !document.querySelector('#alert .alert-body').hidden, parcel.properties.plot_no);
  await settled();
  const alertText = await page.evaluate(() => (document.querySelector('#alert .alert-body').hidden ? ''
    : document.querySelector('#alert .alert-body').textContent));
  check(alertText === '', 'the reservation raised no error', alertText);
  const afterReserve = await apiOk(`/collections/parcels/items/${parcel.id}`);
  const reservationsNow = await apiOk(`/reservations?status=active&project_id=${project.id}`, { auth: true });
  const reservation = reservationsNow.items.find((r) => r.parcel_id === parcel.id);
  check(afterReserve.properties.availability === 'held' && reservation,
    `the planner reserves ${parcel.properties.plot_no} for project ${project.properties.code}: the API says held, ` +
      `reservation ${reservation?.id}`);
  const after = await look();
  check(after.rendered === 'held', `the map's rendered feature of ${parcel.properties.plot_no} now says held`, String(after.rendered));
  check(after.amber > 0.6 * after.total && after.green < 0.1 * after.total,
    `its pixels turned from green to the held colour ${colours.held}: ${after.amber} of ${after.total} amber, ${after.green} green`);
  const listedReservation = await page.$$eval('#reservations li.row', (rows) => rows.map((r) => r.dataset.id));
  check(reservation && listedReservation.includes(String(reservation.id)), `the reservation is listed (${listedReservation.join(', ')})`);
  await page.evaluate(() => document.getElementById('res-title').scrollIntoView({ block: 'start' }));
  await shot('planner-reserved.png');

  if (reservation) {
    await page.click(`#reservations li.row[data-id="${reservation.id}"] button.danger`);
    await page.waitForFunction((id) => !document.querySelector(`#reservations li.row[data-id="${id}"]`), reservation.id);
    await settled();
    const released = await look();
    check(released.rendered === 'available' && released.green > 0.6 * released.total,
      `releasing it draws ${parcel.properties.plot_no} available again (${released.green} of ${released.total} green)`);
  }

  // --- dashboard --------------------------------------------------------------------------------------------------
  section('dashboard');
  await page.click('#tab-dashboard');
  await page.waitForSelector('#figures[data-loaded="true"]');
  await page.waitForFunction(() => document.querySelectorAll('#charts [data-chart] canvas').length >= 6);
  await settled();
  const stats = await apiOk('/stats');
  const shown = await page.$$eval('#figures [data-testid]', (items) => items.map((e) => ({ id: e.dataset.testid,
    text: e.textContent })));
  const byId = Object.fromEntries(shown.map((s) => [s.id, s.text]));
  // Each headline figure as the page writes it in English: [stats value, number as shown].
  const headline = [
    ['revitalized_land_mu', (v) => v],
    ['allocation_supplied_land_mu', (v) => v],
    ['standard_factory_gross_floor_area_m2', (v) => v],
    ['projects', (v) => v],
    ['projects_total_investment_yi', (v) => v / 10],
    ['projects_in_production', (v) => v],
    ['projects_under_construction', (v) => v],
  ];
  for (const [key, asShown] of headline) {
    const text = byId[`fig-${key}`];
    const want = asShown(stats.figures[key]);
    check(text !== undefined && Math.abs(numberIn(text) - want) < 1e-6 * Math.max(1, Math.abs(want)),
      `dashboard ${key}: "${text}" = /stats ${stats.figures[key]}`);
  }
  const occ = byId['fig-occupancy'];
  check(Math.abs(numberIn(occ) - Math.round(stats.park.factories.occupancy * 1000) / 10) < 1e-9,
    `dashboard factory occupancy: "${occ}" = /stats ${stats.park.factories.occupancy}`);
  check(/1,699\.5 mu/.test(byId['fig-revitalized_land_mu'] || '') || stats.figures.revitalized_land_mu !== 1699.5,
    `the revitalized land reads like the article (${byId['fig-revitalized_land_mu']})`);
  const charts = await page.$$eval('#charts [data-chart]', (boxes) => boxes.map((b) => b.dataset.chart));
  check(charts.length === 6, `six charts are drawn (${charts.join(', ')})`);
  await shot('dashboard.png');
  const zone = stats.zones.find((z) => z.code === 'JP') || stats.zones[0];
  await page.selectOption('#dash-zone', zone.code);
  const zoneShown = await page.evaluate(() => ({
    revitalized: document.querySelector('[data-testid="scope-revitalized_mu"]').textContent,
    projects: document.querySelector('[data-testid="scope-projects"]').textContent,
  }));
  check(Math.abs(numberIn(zoneShown.revitalized) - zone.land.revitalized.stated_area_mu) < 1e-6 &&
    numberIn(zoneShown.projects) === zone.projects.count,
    `choosing zone ${zone.code} shows its figures (revitalized ${zoneShown.revitalized}, ${zoneShown.projects} projects)`);
  await page.selectOption('#dash-zone', '');

  // --- language ---------------------------------------------------------------------------------------------------
  section('language');
  const scan = () => page.evaluate(() => {
    const bad = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      if (!text) continue;
      const el = node.parentElement;
      if (!el || !el.checkVisibility?.() || el.closest('[lang="en"]')) continue;
      if (/^[a-z][a-z0-9_]*(\.[a-zA-Z0-9_]+)+$/.test(text) || /\{[a-z_]+\}/.test(text) ||
        /^[a-z]+(_[a-z]+)+$/.test(text) || /\bcode\.[a-z_]+\./.test(text)) bad.push(text);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], option')) {
      const text = (el.tagName === 'OPTION' ? el.textContent : el.getAttribute('aria-label') || el.title || '').trim();
      if (/^[a-z][a-z0-9_]*(\.[a-zA-Z0-9_]+)+$/.test(text) || /^[a-z]+(_[a-z]+)+$/.test(text)) bad.push(text);
    }
    return bad;
  });
  const texts = () => page.evaluate(() => ({
    lang: document.documentElement.lang,
    tabs: [...document.querySelectorAll('[role="tab"]')].map((t) => t.textContent.trim()),
    search: document.getElementById('investor-search').textContent.trim(),
    signout: document.getElementById('signout').textContent.trim(),
    dash: document.querySelector('#panel-dashboard .h2').textContent.trim(),
    figure: document.querySelector('[data-testid="fig-revitalized_land_mu"]').textContent,
    zoneLabels: JSON.stringify(window.landbank.map.getLayoutProperty('zone-labels', 'text-field')),
    missing: window.landbank.missingKeys(),
    title: document.title,
  }));
  const allViews = async () => {
    const bad = [];
    for (const v of ['investor', 'planner', 'dashboard']) {
      await page.click(`#tab-${v}`);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
      bad.push(...(await scan()));
    }
    return bad;
  };
  const en = await texts();
  const enBad = await allViews();
  check(en.lang === 'en' && en.tabs.join('|') === 'Investor|Planner|Dashboard' && en.search === 'Search' &&
    en.signout === 'Sign out' && en.dash === 'Park overview' && /mu$/.test(en.figure) && en.zoneLabels.includes('name_en'),
    `English: <html lang="${en.lang}">, tabs ${en.tabs.join('/')}, "${en.search}", "${en.figure}", map labels name_en`);
  check(enBad.length === 0, 'English: no visible untranslated key or code', enBad.slice(0, 10).join(' | '));
  check(en.missing.length === 0, 'both languages have every key', en.missing.slice(0, 10).join(', '));

  await page.click('#lang-switch');
  await settled();
  const zh = await texts();
  const zhBad = await allViews();
  check(zh.lang === 'zh-CN' && zh.tabs.join('|') === '投资者|规划人员|统计' && zh.search === '搜索' &&
    zh.signout === '退出登录' && zh.dash === '园区概况' && /亩$/.test(zh.figure) && zh.zoneLabels.includes('name_zh') &&
    zh.title === '东兴产业园土地与厂房',
    `Chinese: <html lang="${zh.lang}">, tabs ${zh.tabs.join('/')}, "${zh.search}", "${zh.figure}", map labels name_zh`);
  check(zhBad.length === 0, 'Chinese: no visible untranslated key or code', zhBad.slice(0, 10).join(' | '));
  const asciiOnly = await page.evaluate(() => [...document.querySelectorAll('label > span, legend, button, h2, h3, th, dt')]
    .filter((el) => el.checkVisibility?.() && !el.closest('[lang="en"]') && !el.closest('.maplibregl-map') &&
      /[A-Za-z]{4,}/.test(el.textContent) && !/[\u4e00-\u9fff]/.test(el.textContent) &&
      !/^(English|kN\/m²|kVA)/.test(el.textContent.trim()) && el.id !== 'lang-switch')
    .map((el) => el.textContent.trim()).slice(0, 10));
  check(asciiOnly.length === 0, 'Chinese: no visible label, heading or button is left in English', asciiOnly.join(' | '));
  await page.click('#tab-investor');
  await page.evaluate(() => window.landbank.flushUrl());
  check(new URL(page.url()).searchParams.get('lang') === 'zh', 'the language is kept in the URL (lang=zh)');

  await page.click('#lang-switch');
  await page.keyboard.press('Escape');
  await page.selectOption('#zone-zoom', 'KHQ');
  await settled();
  await shot('map-en.png');
  check(await page.evaluate(() => document.documentElement.lang) === 'en', 'switching back gives <html lang="en">');

  check(errors.length === 0, 'no page errors or console errors', errors.slice(0, 5).join(' | '));
  check(serverErrors.length === 0, 'no server error (5xx) answered the page', serverErrors.slice(0, 5).join(' | '));

  if (failures.length) {
    console.log(`\n${failures.length} check(s) failed:\n  - ${failures.join('\n  - ')}`);
    return 1;
  }
  console.log('all web map checks passed');
  return 0;
}
