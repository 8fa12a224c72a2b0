// The dashboard: the park's headline figures from /stats as text, and charts of land, factories and projects for
// the whole park or one zone.

import { get } from './api.js';
import { t, placeName, onLangChange, fmtNum, fmtMu, fmtM2, fmtPct, fmtYi, lang } from './i18n.js';
import * as url from './url-state.js';
import { zoomToZone } from './map.js';
import { showError, announce } from './status.js';

let stats = null;
let loading = null;
let charts = null;
let visible = false;

const $ = (id) => document.getElementById(id);

/** The headline figures: [stats.figures key (or path), label key, formatter]. */
const FIGURES = [
  ['revitalized_land_mu', 'dash.fig.revitalized', (v) => fmtMu(v, 3)],
  ['allocation_supplied_land_mu', 'dash.fig.allocation', (v) => fmtMu(v, 3)],
  ['standard_factory_gross_floor_area_m2', 'dash.fig.factories', (v) => fmtM2(v, 2)],
  ['projects', 'dash.fig.projects', (v) => fmtNum(v, 0)],
  ['projects_total_investment_yi', 'dash.fig.investment', (v) => fmtYi(v)],
  ['projects_in_production', 'dash.fig.in_production', (v) => fmtNum(v, 0)],
  ['projects_under_construction', 'dash.fig.under_construction', (v) => fmtNum(v, 0)],
];

/** The figures of the chosen scope (park or zone): [name, label key, value of scope, formatter]. */
const SCOPE_FIGURES = [
  ['parcels', 'dash.scope.parcels', (s) => s.land.parcels.count, (v) => fmtNum(v, 0)],
  ['land_mu', 'dash.scope.land', (s) => s.land.parcels.stated_area_mu, (v) => fmtMu(v, 3)],
  ['revitalized_mu', 'dash.scope.revitalized', (s) => s.land.revitalized.stated_area_mu, (v) => fmtMu(v, 3)],
  ['factory_gfa_m2', 'dash.scope.factories', (s) => s.factories.gross_floor_area_m2, (v) => fmtM2(v, 2)],
  ['occupancy', 'dash.scope.occupancy', (s) => s.factories.occupancy, (v) => fmtPct(v, 1)],
  ['projects', 'dash.scope.projects', (s) => s.projects.count, (v) => fmtNum(v, 0)],
  ['investment_yi', 'dash.scope.investment', (s) => s.projects.total_investment_yi, (v) => fmtYi(v)],
];

function scopeCode() {
  return $('dash-zone').value;
}

function scopeStats() {
  const code = scopeCode();
  if (!code) return stats.park;
  return stats.zones.find((z) => z.code === code) || stats.park;
}

function figure(testid, label, value, text, headline = false) {
  const box = document.createElement('div');
  box.className = headline ? 'figure headline' : 'figure';
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.textContent = text;
  dd.dataset.testid = testid;
  dd.dataset.value = value == null ? '' : String(value);
  box.append(dt, dd);
  return box;
}

function renderFigures() {
  const list = $('figures');
  list.replaceChildren();
  if (!stats) return;
  for (const [key, label, format] of FIGURES) {
    const value = stats.figures[key];
    list.append(figure(`fig-${key}`, t(label), value, format(value), true));
  }
  const occupancy = stats.park.factories.occupancy;
  list.append(figure('fig-occupancy', t('dash.fig.occupancy'), occupancy, fmtPct(occupancy, 1), true));
  const heading = document.createElement('div');
  heading.className = 'figures-scope-title';
  heading.textContent = t('dash.scope_figures', { scope: scopeName() });
  list.append(heading);
  const s = scopeStats();
  for (const [name, label, pick, format] of SCOPE_FIGURES) {
    const value = pick(s);
    list.append(figure(`scope-${name}`, t(label), value, format(value)));
  }
}

function scopeName() {
  const code = scopeCode();
  if (!code) return t('dash.park');
  const z = stats.zones.find((item) => item.code === code);
  return z ? placeName(z) : code;
}

function renderScopeSelect() {
  const select = $('dash-zone');
  const wanted = select.value || url.get('dzone') || '';
  select.replaceChildren(new Option(t('dash.park'), ''));
  for (const z of stats?.zones || []) select.add(new Option(`${placeName(z)} (${z.code})`, z.code));
  select.value = stats?.zones.some((z) => z.code === wanted) ? wanted : '';
}

async function renderCharts() {
  if (!stats || !visible) return;
  if (!charts) charts = await import('./charts.js');
  charts.render($('charts'), { stats, scope: scopeStats(), scopeCode: scopeCode(), lang: lang() });
}

/** Loads /stats again (after a write, or the first time the dashboard is shown). */
export function load() {
  loading = get('/stats')
    .then((answer) => {
      stats = answer;
      renderScopeSelect();
      renderFigures();
      $('figures').dataset.loaded = 'true';
      return renderCharts();
    })
    .catch(showError)
    .finally(() => {
      loading = null;
    });
  return loading;
}

export function setActive(show) {
  visible = show;
  if (!show) return;
  if (!stats && !loading) load();
  else {
    renderCharts();
    charts?.resize();
  }
}

export function initDashboard() {
  $('dash-zone').addEventListener('change', () => {
    url.set({ dzone: scopeCode() || null });
    zoomToZone(scopeCode());
    renderFigures();
    renderCharts();
    announce(t('dash.scope_changed', { scope: scopeName() }));
  });
  onLangChange(() => {
    if (!stats) return;
    renderScopeSelect();
    renderFigures();
    charts?.dispose();
    renderCharts();
  });
  document.addEventListener('landbank:changed', () => {
    if (stats) load();
  });
  window.addEventListener('resize', () => charts?.resize());
}
