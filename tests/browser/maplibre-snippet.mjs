#!/usr/bin/env node
// The MapLibre GL JS snippet of docs/API.md ("Vector tiles"), as written, in a real browser against a running server.
//
// Usage: node tests/browser/maplibre-snippet.mjs BASE_URL   (e.g. http://127.0.0.1:8080)
//
// 1. Takes the ```html block of the "Vector tiles" section that creates a `maplibregl.Map`, replaces the documented
//    `http://127.0.0.1:8080` with BASE_URL and wraps it in a minimal page, served by a web server of this script on
//    127.0.0.1 (another port: the style and the tiles are cross-origin requests, as for any page using the service).
// 2. Opens it in Debian's Chromium (LANDBANK_TEST_CHROMIUM, default /usr/bin/chromium) through playwright-core, with
//    WebGL from SwiftShader. The unpkg URLs of the snippet are answered from this directory's node_modules/maplibre-gl
//    (the version package-lock.json pins), so the doc stays as written and nothing outside the machine is reached;
//    any other request off the page's origin and BASE_URL is refused and fails the check.
// 3. Waits for the map's `load`, fits it to the parcels' extent (BASE_URL/collections/parcels), waits for `idle`, and
//    checks: the style and at least one tile answered 200, MapLibre renders parcels (queryRenderedFeatures on
//    source-layer `parcels`), the canvas shows more than the background, and the page logged no error.
// 4. Writes a screenshot to target/screenshots/maplibre-snippet.png.
//
// Prints what it checked; exits 1 naming every failed check.

import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(import.meta.url);

const DOC_ORIGIN = 'http://127.0.0.1:8080';
const UNPKG = 'https://unpkg.com/maplibre-gl@5/dist/';
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  // WebGL (MapLibre needs it) without a GPU: ANGLE on SwiftShader, a software Vulkan. Chromium no longer falls back
  // to SwiftShader for WebGL unless --enable-unsafe-swiftshader opts in (playwright-core passes that one too, and
  // --headless, but the test should not depend on its defaults).
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
const TIMEOUT_MS = 60_000;

const failures = [];
function ok(message) {
  console.log(`  ok: ${message}`);
}
function check(condition, message, detail = '') {
  if (condition) ok(message);
  else {
    failures.push(detail ? `${message}: ${detail}` : message);
    console.log(`  FAILED: ${message}${detail ? `: ${detail}` : ''}`);
  }
}
function fail(message) {
  console.error(`maplibre-snippet: ${message}`);
  process.exit(1);
}

const base = (process.argv[2] || '').replace(/\/+$/, '');
if (!/^https?:\/\/[^/]+$/.test(base)) fail('usage: node tests/browser/maplibre-snippet.mjs BASE_URL (e.g. http://127.0.0.1:8080)');

// --- the snippet ------------------------------------------------------------------------------------------------------

const apiDoc = readFileSync(path.join(root, 'docs/API.md'), 'utf8');
const section = apiDoc.split(/^## /m).find((s) => s.startsWith('Vector tiles'));
if (!section) fail('docs/API.md has no "## Vector tiles" section');
const blocks = [...section.matchAll(/^```html\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
const snippets = blocks.filter((b) => b.includes('maplibregl.Map'));
if (snippets.length !== 1) fail(`expected one \`\`\`html block with maplibregl.Map in "Vector tiles", found ${snippets.length}`);
const snippet = snippets[0];
if (!snippet.includes(DOC_ORIGIN)) fail(`the snippet does not mention ${DOC_ORIGIN}:\n${snippet}`);
const documentedUrls = [...snippet.matchAll(/https?:\/\/[^\s'"<>)]+/g)].map((m) => m[0]);
const pageHtml = `<!doctype html>
<html>
<head><meta charset="utf-8"><title>docs/API.md: Vector tiles</title></head>
<body style="margin: 0">
${snippet.replaceAll(DOC_ORIGIN, base)}</body>
</html>
`;

console.log(`docs/API.md "Vector tiles" snippet (${snippet.split('\n').length - 1} lines) against ${base}`);
console.log(`  urls in the snippet: ${documentedUrls.join(', ')}`);

// --- the browser ------------------------------------------------------------------------------------------------------

const maplibreDist = path.dirname(require.resolve('maplibre-gl/dist/maplibre-gl.js'));
const maplibreVersion = JSON.parse(readFileSync(path.join(maplibreDist, '../package.json'), 'utf8')).version;
const { chromium } = await import('playwright-core');
const executablePath = process.env.LANDBANK_TEST_CHROMIUM || '/usr/bin/chromium';

// The page comes from a web server of its own on 127.0.0.1 (another port, so another origin than BASE_URL), as when
// a developer serves the snippet locally. Chromium's Local Network Access rules refuse a page on a public or
// non-secure origin (a made-up host name answered by page.route, say) reading http://127.0.0.1.
const pageServer = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    return res.end(pageHtml);
  }
  res.writeHead(404).end();
});
await new Promise((resolve, reject) => pageServer.once('error', reject).listen(0, '127.0.0.1', resolve));
const pageOrigin = `http://127.0.0.1:${pageServer.address().port}`;

const browser = await chromium
  .launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: TIMEOUT_MS })
  .catch((e) => fail(`${executablePath} does not start through playwright-core: ${e.message}`));
let exitCode = 1;
try {
  exitCode = await run(browser);
} catch (e) {
  console.error(`maplibre-snippet: ${e.stack || e}`);
} finally {
  await browser.close().catch(() => {});
  pageServer.close();
}
process.exit(exitCode);

/** extent.spatial.bbox[0] of BASE_URL/collections/parcels, or what went wrong. */
async function parcelsExtent() {
  const url = `${base}/collections/parcels`;
  try {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    const bbox = (await response.json())?.extent?.spatial?.bbox?.[0];
    if (response.ok && Array.isArray(bbox) && bbox.length >= 4) return bbox;
    return `no extent.spatial.bbox[0] in ${url} (${response.status})`;
  } catch (e) {
    return `GET ${url}: ${e.cause?.message || e.message}`;
  }
}

/** '' once the snippet's map fires `load`, else what went wrong. */
function mapLoaded(page) {
  return page.evaluate(
    (timeout) =>
      new Promise((resolve) => {
        if (typeof map !== 'object') return resolve('the snippet made no `map`');
        if (map.loaded()) return resolve('');
        const timer = setTimeout(() => resolve(`no 'load' event within ${timeout} ms`), timeout);
        map.once('load', () => (clearTimeout(timer), resolve('')));
        map.once('error', (e) => (clearTimeout(timer), resolve(`map error: ${e.error?.message || e.error || e}`)));
      }),
    TIMEOUT_MS,
  );
}

/** Fits the snippet's map to `bbox`, waits for `idle` and says what it renders then. */
function fitAndQuery(page, bbox) {
  return page.evaluate(
    ([bbox, timeout]) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ error: `no 'idle' event within ${timeout} ms` }), timeout);
        map.once('idle', () => {
          clearTimeout(timer);
          const rendered = map.queryRenderedFeatures();
          const features = rendered.filter((f) => f.sourceLayer === 'parcels');
          resolve({
            zoom: map.getZoom(),
            center: map.getCenter().toArray(),
            parcels: features.length,
            ids: new Set(features.map((f) => f.id)).size,
            availability: [...new Set(features.map((f) => f.properties.availability))].sort(),
            layers: [...new Set(rendered.map((f) => `${f.sourceLayer}/${f.layer.id}`))].sort(),
          });
        });
        map.fitBounds([bbox[0], bbox[1], bbox[2], bbox[3]], { animate: false, padding: 20 });
      }),
    [bbox, TIMEOUT_MS],
  );
}

async function run(browser) {
  console.log(`  browser: ${executablePath} (Chromium ${browser.version()}), maplibre-gl ${maplibreVersion} for ${UNPKG}`);
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);

  const errors = [];
  let firstError;
  const errored = new Promise((resolve) => (firstError = resolve));
  const error = (message) => (errors.push(message), firstError(message));
  const refused = [];
  const responses = []; // { url, status, type }
  page.on('pageerror', (e) => error(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') error(`console.error: ${m.text()}`);
  });
  page.on('crash', () => error('the page crashed'));
  // Requests of the page and of MapLibre's workers (Chromium reports dedicated workers' requests on the context).
  context.on('requestfailed', (r) => error(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  context.on('response', (r) => responses.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] || '' }));

  // Everything goes through the routes: the page, MapLibre from node_modules, the server; nothing else.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === `${pageOrigin}/`) return route.continue();
    if (url === `${pageOrigin}/favicon.ico`) return route.fulfill({ status: 204 });
    if (url.startsWith(UNPKG)) {
      const file = url.slice(UNPKG.length).split(/[?#]/)[0];
      const types = { 'maplibre-gl.js': 'application/javascript', 'maplibre-gl.css': 'text/css' };
      if (types[file]) {
        return route.fulfill({
          status: 200,
          contentType: types[file],
          headers: { 'Access-Control-Allow-Origin': '*' },
          body: readFileSync(path.join(maplibreDist, file)),
        });
      }
    }
    if (url.startsWith(`${base}/`)) return route.continue();
    if (url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    refused.push(url);
    return route.abort('blockedbyclient');
  });

  await page.goto(`${pageOrigin}/`, { waitUntil: 'load' });
  check(
    await page.evaluate(() => typeof maplibregl === 'object' && typeof maplibregl.Map === 'function'),
    `maplibregl loaded from the snippet's ${UNPKG}maplibre-gl.js`,
  );
  const css = responses.find((r) => r.url === `${UNPKG}maplibre-gl.css`);
  check(css?.status === 200, `the snippet's ${UNPKG}maplibre-gl.css loaded`, css ? `status ${css.status}` : 'never requested');
  const webgl = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  });
  check(webgl !== null, 'the browser has WebGL 2', webgl === null ? 'no webgl2 context: check the Chromium flags' : '');
  if (webgl) console.log(`      renderer: ${webgl}`);

  // The snippet's `const map` is a global lexical binding of the page.
  const loaded = await Promise.race([errored.then((e) => `gave up at the first error: ${e}`), mapLoaded(page)]);
  check(loaded === '', "the map fires 'load' (style and sources ready)", loaded);

  const styleUrl = `${base}/styles/default`;
  const style = responses.find((r) => r.url === styleUrl);
  check(style?.status === 200, `GET ${styleUrl} answered 200`, style ? `status ${style.status}` : 'never requested');
  const styleName = await page.evaluate(() => (typeof map === 'object' ? map.getStyle()?.name : undefined));
  check(typeof styleName === 'string' && styleName.startsWith('landbank'), `the map uses the server's style ("${styleName}")`);

  // The snippet sets no view of its own: fit the map to the parcels' extent, as a reader would pan there.
  const bbox = await parcelsExtent();
  let view;
  if (loaded !== '') view = { error: 'not tried: the map did not load' };
  else if (typeof bbox === 'string') view = { error: bbox };
  else view = await fitAndQuery(page, bbox);
  if (view.error) check(false, "the map fires 'idle' after fitting it to the parcels' extent", view.error);
  else {
    ok(
      `fitted to the parcels' extent [${bbox.join(', ')}]: zoom ${view.zoom.toFixed(2)}, ` +
        `center ${view.center.map((c) => c.toFixed(4)).join(', ')}`,
    );
    check(
      view.parcels > 0,
      `MapLibre renders parcels: ${view.ids} distinct parcels (${view.parcels} rendered features) of source-layer ` +
        `"parcels", availability ${view.availability.join('/')}`,
    );
    console.log(`      rendered source-layer/layer: ${view.layers.join(', ')}`);
  }

  const tilePrefix = `${base}/tiles/WebMercatorQuad/`;
  const tiles = responses.filter((r) => r.url.startsWith(tilePrefix) && !r.url.endsWith('.json'));
  const tiles200 = tiles.filter((r) => r.status === 200);
  const tileStatuses = [...new Set(tiles.map((r) => r.status))].sort();
  check(
    tiles200.length > 0 && tiles200.every((r) => r.type.startsWith('application/vnd.mapbox-vector-tile')),
    `${tiles.length} tile requests (statuses ${tileStatuses.join(', ') || 'none'}), ${tiles200.length} of them 200 with ` +
      'application/vnd.mapbox-vector-tile',
  );
  const tilejson = responses.find((r) => r.url === `${tilePrefix}tilejson.json`);
  check(tilejson?.status === 200, `GET ${tilePrefix}tilejson.json (the style's source) answered 200`,
    tilejson ? `status ${tilejson.status}` : 'never requested');
  const bad = responses.filter((r) => r.url.startsWith(`${base}/`) && r.status >= 400);
  check(bad.length === 0, 'no request to the server failed', bad.map((r) => `${r.status} ${r.url}`).join('; '));

  // What the canvas shows: the screenshot, read back through a 2D canvas.
  const shotPath = path.join(root, 'target/screenshots/maplibre-snippet.png');
  mkdirSync(path.dirname(shotPath), { recursive: true });
  const shot = await page.locator('#map').screenshot();
  writeFileSync(shotPath, shot);
  const pixels = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = Object.assign(document.createElement('canvas'), { width: img.width, height: img.height });
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const background = [0xf5, 0xf4, 0xf0];
    let plain = 0, drawn = 0, green = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      const off = Math.abs(r - background[0]) + Math.abs(g - background[1]) + Math.abs(b - background[2]);
      if (off <= 6) plain++;
      else if (off > 24) drawn++;
      if (g > r + 40 && g > b + 30) green++;
    }
    return { total: data.length / 4, plain, drawn, green };
  }, shot.toString('base64'));
  const drawnShare = pixels.drawn / pixels.total;
  // The style's background shows somewhere, much is drawn over it, and available parcels are green.
  check(
    pixels.plain > 0 && drawnShare > 0.05 && pixels.green > 100,
    `the canvas shows the park: of ${pixels.total} pixels ${pixels.plain} are the style's background #f5f4f0, ` +
      `${(100 * drawnShare).toFixed(1)}% are drawn over it, ${pixels.green} are green (available parcels)`,
  );
  console.log(`      screenshot: ${path.relative(root, shotPath)}`);

  check(refused.length === 0, 'the page reached nothing but itself, the snippet\'s unpkg files and the server',
    refused.join(', '));
  check(errors.length === 0, 'no page errors, console errors or failed requests', errors.join('\n    '));

  if (failures.length) {
    console.log(`\n${failures.length} check(s) failed:\n  - ${failures.join('\n  - ')}`);
    return 1;
  }
  console.log('all browser checks passed');
  return 0;
}
