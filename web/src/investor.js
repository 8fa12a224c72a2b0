// The investor view: filters for land (/availability/land) and factory space (/availability/space), a ranked
// results list kept in step with the map, and the filters in the page's URL.

import { get, query } from './api.js';
import {
  t, codeName, placeName, onLangChange, fmtNum, fmtMu, fmtM2, fmtRent, fmtWanPerMu, fmtM, fmtKn, fmtDistance,
} from './i18n.js';
import * as mapApi from './map.js';
import * as url from './url-state.js';
import * as detail from './detail.js';
import { announce, showError, clearError } from './status.js';

/** Form fields of each mode; `max_bridge_m` and `max_road_m` become `max_distance`. */
const FIELDS = {
  land: ['min_area_mu', 'max_area_mu', 'class', 'industry', 'zone', 'supply_method', 'max_price_wan_per_mu',
    'max_bridge_m', 'max_road_m', 'available_on'],
  space: ['min_area_m2', 'max_area_m2', 'combine', 'max_floor', 'ground_floor', 'min_height_m', 'min_load_kn_m2',
    'min_lift_t', 'min_power_kva', 'max_rent', 'fire_class', 'zone', 'max_bridge_m', 'max_road_m', 'available_on'],
};
const URL_NAMES = ['mode', ...new Set([...FIELDS.land, ...FIELDS.space])];
const LIMIT = 500;

let answer = null;
let selectedKey = null;
let active = true;
let searchCount = 0;

const form = () => document.getElementById('investor-form');
const fieldset = (mode) => document.querySelector(`#investor-form fieldset[data-mode="${mode}"]`);
const list = () => document.getElementById('results');

export function mode() {
  return form().querySelector('input[name="mode"]:checked').value;
}

function setMode(next) {
  form().querySelector(`input[name="mode"][value="${next}"]`).checked = true;
  for (const m of Object.keys(FIELDS)) fieldset(m).hidden = m !== next;
}

/** The filled-in fields of a mode, as strings. */
function values(m) {
  const out = {};
  for (const input of fieldset(m).querySelectorAll('[name]')) {
    if (input.type === 'checkbox') {
      if (input.checked) out[input.name] = 'true';
    } else if (input.value.trim() !== '') {
      out[input.name] = input.value.trim();
    }
  }
  return out;
}

function fill(m, given) {
  for (const input of fieldset(m).querySelectorAll('[name]')) {
    if (input.type === 'checkbox') input.checked = given[input.name] === 'true';
    else input.value = given[input.name] ?? '';
  }
}

/** The availability endpoint's parameters for a mode's fields. */
export function toParams(m, v) {
  const params = {};
  const distance = [];
  for (const [name, value] of Object.entries(v)) {
    if (name === 'max_bridge_m') distance.push(`bridge_freight:${value}`);
    else if (name === 'max_road_m') distance.push(`road:${value}`);
    else params[name] = value;
  }
  if (distance.length) params.max_distance = distance.join(',');
  params.limit = LIMIT;
  return params;
}

function keyOf(feature) {
  return String(feature.id);
}

/** Runs the search of the form; `restore` keeps the map view and selection of a shared URL. */
export async function search({ restore = false, quiet = false } = {}) {
  const m = mode();
  const v = values(m);
  const mine = ++searchCount;
  const path = `/availability/${m}${query(toParams(m, v))}`;
  document.getElementById('investor-search').setAttribute('aria-busy', 'true');
  if (!quiet) announce(t('investor.searching'));
  try {
    const result = await get(path);
    if (mine !== searchCount) return;
    clearError();
    answer = { mode: m, features: result.features || [], numberMatched: result.numberMatched ?? 0 };
    url.replace(URL_NAMES, { mode: m, ...v });
    renderList();
    showOnMap();
    if (!quiet) announce(countText());
    if (!restore && answer.features.length) {
      mapApi.fitTo(answer.features.map((f) => f.geometry), { maxZoom: 16 });
    }
    if (!quiet && !restore) document.querySelector('#panel-investor .results-head').scrollIntoView({ block: 'start' });
  } catch (e) {
    if (mine !== searchCount) return;
    showError(e);
    document.getElementById('result-count').textContent = t('investor.failed');
  } finally {
    document.getElementById('investor-search').removeAttribute('aria-busy');
  }
}

function countText() {
  if (!answer) return '';
  const shown = answer.features.length;
  if (shown < answer.numberMatched) return t('investor.count_partial', { n: fmtNum(shown, 0), total: fmtNum(answer.numberMatched, 0) });
  return t('investor.count', { n: fmtNum(shown, 0) });
}

function showOnMap() {
  if (!answer) {
    mapApi.showResults(null);
    return;
  }
  const features = answer.features.map((f) => ({
    type: 'Feature',
    id: answer.mode === 'land' ? f.id : undefined,
    properties: { key: keyOf(f), rank: f.properties.rank, selected: keyOf(f) === selectedKey },
    geometry: f.geometry,
  }));
  mapApi.showResults(features, { dimParcels: answer.mode === 'land' });
}

function line(className, content) {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = content;
  return span;
}

function zoneName(code) {
  const z = mapApi.zoneList().find((item) => item.properties.code === code);
  return z ? placeName(z.properties) : code || '';
}

function renderItem(feature) {
  const p = feature.properties;
  const key = keyOf(feature);
  const li = document.createElement('li');
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'result';
  b.dataset.key = key;
  b.dataset.testid = 'result';
  b.setAttribute('aria-current', key === selectedKey ? 'true' : 'false');
  const head = document.createElement('span');
  head.className = 'result-head';
  head.append(line('rank', `${p.rank}`));
  if (answer.mode === 'land') {
    head.append(line('result-name', p.plot_no), line('result-zone', zoneName(p.zone)));
    b.append(head,
      line('result-specs', [fmtMu(p.stated_area_mu ?? p.area_mu), codeName('class', p.class),
        p.price_wan_per_mu != null ? fmtWanPerMu(p.price_wan_per_mu) : t('investor.no_price')].join(' · ')),
      line('result-specs', [codeName('land_use', p.land_use_code), p.supply_method ? codeName('supply_method', p.supply_method) : t('code.supply_method.unspecified')]
        .join(' · ')));
  } else {
    head.append(line('result-name', (p.labels || []).join(' + ')), line('result-zone', zoneName(p.zone)));
    b.append(head,
      line('result-specs', [fmtM2(p.total_area_m2), t('unit.floor', { n: p.floor }), fmtRent(p.rent_yuan_m2_month)]
        .join(' · ')),
      line('result-specs', [t('investor.height', { v: fmtM(p.height_m) }), t('investor.load', { v: fmtKn(p.load_kn_m2) })]
        .join(' · ')));
  }
  const reasons = (p.reasons || []).filter((r) => r.points > 0)
    .map((r) => `${codeName('reason', r.code)} +${fmtNum(r.points, 1)}`).join(' · ');
  b.append(line('result-score', `${t('investor.score', { n: fmtNum(p.score, 0) })}${reasons ? ` — ${reasons}` : ''}`));
  if (p.distances_m?.bridge_freight != null) {
    b.append(line('result-specs', t('investor.to_bridge', { d: fmtDistance(p.distances_m.bridge_freight) })));
  }
  b.addEventListener('mouseenter', () => mapApi.hoverResult(key));
  b.addEventListener('mouseleave', () => mapApi.hoverResult(null));
  b.addEventListener('focus', () => mapApi.hoverResult(key));
  b.addEventListener('blur', () => mapApi.hoverResult(null));
  b.addEventListener('click', () => select(key, { open: true, focus: true }));
  li.append(b);
  return li;
}

function renderList() {
  const ul = list();
  ul.replaceChildren();
  document.getElementById('result-count').textContent = countText();
  if (!answer) return;
  if (!answer.features.length) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = t('investor.none');
    ul.append(li);
    return;
  }
  for (const f of answer.features) ul.append(renderItem(f));
}

function markSelected() {
  for (const b of list().querySelectorAll('button.result')) {
    b.setAttribute('aria-current', b.dataset.key === selectedKey ? 'true' : 'false');
  }
  showOnMap();
}

/** Selects a result: marks it in the list and on the map, and opens its details. */
export function select(key, { open = true, focus = false, fit = true } = {}) {
  if (!answer) return;
  const feature = answer.features.find((f) => keyOf(f) === key);
  if (!feature) return;
  selectedKey = key;
  markSelected();
  const item = list().querySelector(`button.result[data-key="${CSS.escape(key)}"]`);
  item?.scrollIntoView({ block: 'nearest' });
  if (open) {
    if (answer.mode === 'land') {
      detail.openDetail({ collection: 'parcels', id: feature.id, extra: { distances_m: feature.properties.distances_m },
        opener: item, focus, fit });
    } else {
      detail.openDetail({ collection: 'offer', id: key, offer: feature, opener: item, focus, fit });
    }
  }
}

/** A click on the map: a result selects its list item; anything else opens its own panel. */
export function mapClicked(feature) {
  const layer = feature.layer.id;
  if (layer === 'results-fill' && active) {
    select(String(feature.properties.key), { open: true, fit: false });
    return true;
  }
  if (answer?.mode === 'land' && layer === 'parcels-fill' && active) {
    const key = String(feature.id);
    if (answer.features.some((f) => keyOf(f) === key)) {
      select(key, { open: true, fit: false });
      return true;
    }
  }
  return false;
}

function clear() {
  for (const m of Object.keys(FIELDS)) fill(m, {});
  answer = null;
  selectedKey = null;
  url.replace(URL_NAMES, {});
  renderList();
  showOnMap();
  announce(t('investor.cleared'));
}

/** The investor view is shown or hidden: its results go with it. */
export function setActive(visible) {
  active = visible;
  mapApi.setResultsVisible(visible);
}

export function hasResults() {
  return answer !== null;
}

export function initInvestor() {
  const f = form();
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    search();
  });
  f.querySelectorAll('input[name="mode"]').forEach((radio) => radio.addEventListener('change', () => setMode(mode())));
  document.getElementById('investor-clear').addEventListener('click', clear);
  detail.onClose(() => {
    selectedKey = null;
    if (answer) markSelected();
  });
  onLangChange(() => {
    renderList();
  });
  document.addEventListener('landbank:changed', () => {
    if (answer) search({ restore: true, quiet: true });
  });
}

/** Restores the filters (and runs the search) from the URL. */
export async function restoreFromUrl() {
  const m = url.get('mode');
  if (m !== 'land' && m !== 'space') return false;
  setMode(m);
  const given = {};
  for (const name of FIELDS[m]) {
    const value = url.get(name);
    if (value !== null) given[name] = value;
  }
  fill(m, given);
  await search({ restore: url.mapView() !== null });
  return true;
}
