// The planner view: sign-in with a token, fitting a project (POST /allocation-plans) with ranked candidates on the
// map, carve previews and splits, reservations and allocations, parcel history and the idle-land report.

import { get, post, del, getToken, setToken, query } from './api.js';
import {
  t, codeName, placeName, onLangChange, fmtNum, fmtMu, fmtM2, fmtRent, fmtWan, fmtDate, fmtDateTime,
  fmtYuan, todayUtc,
} from './i18n.js';
import * as mapApi from './map.js';
import * as detail from './detail.js';
import { announce, showError, clearError, errorText, errorTitle } from './status.js';

let projects = [];
let plan = null;
let preview = null;
let reservations = [];
let allocations = [];
let idle = null;
const plotNames = new Map();

const $ = (id) => document.getElementById(id);

function el(tag, className, textContent) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (textContent !== undefined) node.textContent = textContent;
  return node;
}

function button(label, onClick, className = '') {
  const b = el('button', className, label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function idempotencyKey() {
  if (window.crypto?.randomUUID) return window.crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * A POST that changes something. One that failed in transit is sent once more with the same Idempotency-Key: the
 * server answers such a retry without doing the work twice.
 */
async function write(path, body) {
  const headers = { 'Idempotency-Key': idempotencyKey() };
  try {
    return await post(path, body, { headers });
  } catch (e) {
    if (e.status === 0) return post(path, body, { headers });
    throw e;
  }
}

/** After a write: the map's tiles, the lists and the other views show the new state. */
async function changed() {
  mapApi.refreshTiles();
  document.dispatchEvent(new CustomEvent('landbank:changed'));
  await loadReservations();
  detail.refresh();
}

export function signedIn() {
  return Boolean(getToken());
}

function projectLabel(p) {
  return `${p.properties.code} ${placeName(p.properties)}`;
}

function projectById(id) {
  return projects.find((p) => String(p.id) === String(id));
}

// --- sign-in --------------------------------------------------------------------------------------------------------

async function signIn(token) {
  const error = $('signin-error');
  error.textContent = '';
  if (!token) {
    error.textContent = t('planner.token_required');
    return;
  }
  $('signin-button').setAttribute('aria-busy', 'true');
  try {
    await get('/reservations?status=active', { token });
    setToken(token);
    $('token-input').value = '';
    clearError();
    showSignedIn();
    announce(t('planner.signed_in_announce'));
  } catch (e) {
    error.textContent = `${errorTitle(e)}: ${errorText(e)}`;
    showError(e);
  } finally {
    $('signin-button').removeAttribute('aria-busy');
  }
}

function signOut() {
  setToken(null);
  projects = [];
  plan = null;
  clearPreview();
  reservations = [];
  allocations = [];
  idle = null;
  mapApi.showCandidates(null);
  mapApi.showIdleLand(null);
  $('signin').hidden = false;
  $('planner-tools').hidden = true;
  $('candidates').replaceChildren();
  $('plan-summary').replaceChildren();
  $('idle-table').hidden = true;
  $('idle-summary').replaceChildren();
  detail.refresh();
  announce(t('planner.signed_out'));
  $('token-input').focus();
}

function showSignedIn() {
  $('signin').hidden = true;
  $('planner-tools').hidden = false;
  loadProjects();
  loadReservations();
  detail.refresh();
}

// --- projects and the fit form -------------------------------------------------------------------------------------

async function loadProjects() {
  try {
    const answer = await get('/collections/projects/items?limit=1000&sortby=code');
    projects = (answer.features || []).filter((p) => p.properties.stage !== 'cancelled');
    renderProjectSelect();
    detail.refresh();
  } catch (e) {
    showError(e);
  }
}

function renderProjectSelect() {
  const select = $('fit-project');
  const currentValue = select.value;
  select.replaceChildren(new Option(t('planner.project.none'), ''));
  for (const p of projects) select.add(new Option(projectLabel(p), String(p.id)));
  select.value = projectById(currentValue) ? currentValue : '';
}

function fitBody() {
  const form = $('fit-form');
  const body = {};
  const data = new FormData(form);
  const number = (name) => {
    const v = String(data.get(name) ?? '').trim();
    if (v !== '') body[name] = Number(v);
  };
  const textField = (name) => {
    const v = String(data.get(name) ?? '').trim();
    if (v !== '') body[name] = v;
  };
  const project = String(data.get('project_id') ?? '');
  if (project) body.project_id = Number(project);
  textField('industry');
  textField('class');
  number('fixed_asset_investment_wan');
  number('land_mu');
  number('floor_area_m2');
  textField('preferred_zone');
  return body;
}

async function fit() {
  const body = fitBody();
  clearPreview();
  $('fit-submit').setAttribute('aria-busy', 'true');
  announce(t('planner.fitting'));
  try {
    plan = await post('/allocation-plans', body);
    plan.projectId = body.project_id ?? null;
    clearError();
    renderPlan();
    drawCandidates();
    const geometries = plan.candidates.map((c) => c.geometry).filter(Boolean);
    if (geometries.length) mapApi.fitTo(geometries, { maxZoom: 16 });
    announce(t('planner.candidates_found', { n: plan.candidates.length }));
  } catch (e) {
    showError(e);
  } finally {
    $('fit-submit').removeAttribute('aria-busy');
  }
}

function candidateKey(c) {
  return String(c.rank);
}

function candidateName(c) {
  if (c.kind === 'units') return (c.labels || []).join(' + ');
  return (c.plot_nos || []).join(' + ');
}

function drawCandidates() {
  if (!plan) return mapApi.showCandidates(null);
  mapApi.showCandidates(plan.candidates.filter((c) => c.geometry).map((c) => ({
    type: 'Feature',
    properties: { key: candidateKey(c), rank: c.rank, kind: c.kind },
    geometry: c.geometry,
  })));
}

function renderPlan() {
  const summary = $('plan-summary');
  const list = $('candidates');
  summary.replaceChildren();
  list.replaceChildren();
  if (!plan) return;
  const facts = [
    [t('plan.route'), codeName('route', plan.route)],
    [t('plan.class'), codeName('class', plan.class)],
    [t('plan.investment'), fmtWan(plan.fixed_asset_investment_wan)],
    [t('plan.land_need'), fmtMu(plan.land_need_mu, 3)],
  ];
  if (plan.floor_area_need_m2 != null) facts.push([t('plan.floor_need'), fmtM2(plan.floor_area_need_m2)]);
  const dl = el('dl', 'specs compact');
  for (const [k, v] of facts) dl.append(el('dt', '', k), el('dd', '', v));
  const reason = el('details', 'server-text');
  const reasonSummary = el('summary', '', t('plan.server_reason'));
  const reasonText = el('p', '', plan.reason);
  reasonText.lang = 'en';
  reason.append(reasonSummary, reasonText);
  summary.append(dl, reason);
  if (!plan.candidates.length) {
    list.append(el('li', 'empty', t('plan.none')));
    return;
  }
  for (const c of plan.candidates) list.append(renderCandidate(c));
}

function renderCandidate(c) {
  const li = el('li', 'candidate');
  li.dataset.key = candidateKey(c);
  li.dataset.kind = c.kind;
  const head = el('div', 'candidate-head');
  head.append(
    el('span', 'rank', `#${c.rank}`),
    el('strong', 'candidate-name', candidateName(c)),
    el('span', `kind kind-${c.kind}`, codeName('candidate_kind', c.kind)),
    el('span', 'score', t('plan.score', { n: fmtNum(c.score * 100, 1) })),
  );
  li.append(head);
  const facts = [];
  if (c.area_mu != null) facts.push(fmtMu(c.area_mu, 3));
  if (c.leftover_mu != null && c.leftover_mu > 0) facts.push(t('plan.leftover', { v: fmtMu(c.leftover_mu, 3) }));
  if (c.area_m2 != null) facts.push(fmtM2(c.area_m2));
  if (c.rent_yuan_m2_month != null) facts.push(fmtRent(c.rent_yuan_m2_month));
  if (c.rent_yuan_month != null) facts.push(t('plan.monthly', { v: fmtYuan(c.rent_yuan_month) }));
  if (c.zone) facts.push(c.zone);
  li.append(el('p', 'candidate-facts', facts.join(' · ')));

  const breakdown = el('table', 'breakdown');
  breakdown.append(el('caption', 'visually-hidden', t('plan.breakdown')));
  const thead = el('thead');
  const hr = el('tr');
  for (const h of ['plan.criterion', 'plan.weight', 'plan.value', 'plan.points']) {
    const th = el('th', '', t(h));
    th.scope = 'col';
    hr.append(th);
  }
  thead.append(hr);
  const tbody = el('tbody');
  for (const b of c.breakdown || []) {
    const tr = el('tr');
    const bar = el('span', 'bar');
    bar.style.setProperty('--v', String(Math.max(0, Math.min(1, b.value))));
    const valueCell = el('td', 'value-cell');
    valueCell.append(bar, el('span', '', fmtNum(b.value, 2)));
    tr.append(el('td', '', codeName('criterion', b.criterion)), el('td', '', fmtNum(b.weight, 2)), valueCell,
      el('td', '', fmtNum(b.weight * b.value * 100, 1)));
    tbody.append(tr);
  }
  breakdown.append(thead, tbody);
  const breakdownBox = el('details', 'candidate-more');
  breakdownBox.append(el('summary', '', t('plan.breakdown')), breakdown);
  li.append(breakdownBox);

  const checks = el('ul', 'checks');
  for (const k of c.checks || []) {
    const item = el('li', k.passed ? 'pass' : 'fail');
    const mark = el('span', 'mark', k.passed ? '✓' : '✗');
    mark.setAttribute('aria-hidden', 'true');
    const name = el('strong', '', `${codeName('check', k.name)} ${k.passed ? t('plan.passed') : t('plan.failed')}`);
    const textEl = el('span', 'server-text', k.detail);
    textEl.lang = 'en';
    item.append(mark, name, textEl);
    checks.append(item);
  }
  const failed = (c.checks || []).filter((k) => !k.passed).length;
  const checksBox = el('details', 'candidate-more');
  checksBox.append(el('summary', '', t('plan.checks', { passed: (c.checks || []).length - failed, total: (c.checks || []).length })), checks);
  li.append(checksBox);

  const actions = el('div', 'actions');
  if (c.geometry) actions.append(button(t('plan.show'), () => mapApi.fitTo([c.geometry], { maxZoom: 17 })));
  if (c.kind === 'single') {
    actions.append(button(t('plan.details'), (e) =>
      detail.openDetail({ collection: 'parcels', id: c.parcel_ids[0], opener: e.currentTarget, focus: true })));
  }
  if (c.kind === 'carved' && c.split) {
    actions.append(button(t('plan.preview_carve'), (e) => previewCarve(c, e.currentTarget), 'primary'));
  }
  if (plan.projectId && (c.kind === 'single' || c.kind === 'units' || c.kind === 'carved')) {
    actions.append(button(t('plan.reserve'), () => reserveCandidate(c)));
  }
  li.append(actions);
  if (!plan.projectId && c.kind !== 'assembled') li.append(el('p', 'hint', t('plan.pick_project_to_reserve')));

  const key = candidateKey(c);
  li.addEventListener('mouseenter', () => mapApi.hoverCandidate(key));
  li.addEventListener('mouseleave', () => mapApi.hoverCandidate(null));
  li.addEventListener('focusin', () => mapApi.hoverCandidate(key));
  li.addEventListener('focusout', () => mapApi.hoverCandidate(null));
  return li;
}

// --- carving --------------------------------------------------------------------------------------------------------

function splitBody(c) {
  const body = { area_mu: c.split.area_mu };
  if (c.split.bearing_deg != null) body.bearing_deg = c.split.bearing_deg;
  return body;
}

async function previewCarve(c, opener) {
  announce(t('carve.previewing'));
  try {
    const [answer, parent] = await Promise.all([
      post(`/parcels/${c.split.parcel_id}/split`, { ...splitBody(c), preview: true }),
      get(`/collections/parcels/items/${c.split.parcel_id}`),
    ]);
    preview = { candidate: c, answer, parent, opener };
    clearError();
    renderPreview();
    mapApi.fitTo([parent.geometry], { maxZoom: 17 });
    $('carve-panel').querySelector('h3')?.focus();
  } catch (e) {
    showError(e);
  }
}

function pieceLetter(feature, i) {
  const m = /-([AB])$/.exec(feature.properties.plot_no || '');
  return m ? m[1] : i === 0 ? 'A' : 'B';
}

function pieceArea(feature) {
  return feature.properties.stated_area_mu ?? feature.properties.area_mu;
}

function renderPreview() {
  const panel = $('carve-panel');
  panel.replaceChildren();
  if (!preview) {
    panel.hidden = true;
    mapApi.showCarvePreview(null);
    return;
  }
  const { answer, parent, candidate } = preview;
  const pieces = answer.features || [];
  mapApi.showCarvePreview(pieces.map((f, i) => ({
    type: 'Feature',
    properties: { piece: pieceLetter(f, i), text: `${f.properties.plot_no}\n${fmtMu(pieceArea(f), 3)}` },
    geometry: f.geometry,
  })));
  const title = el('h3', 'h3', t('carve.title', { plot: parent.properties.plot_no }));
  title.tabIndex = -1;
  panel.append(title);
  const list = el('ul', 'pieces');
  for (const [i, f] of pieces.entries()) {
    const li = el('li', 'piece');
    const swatch = el('span', `swatch swatch-fill piece-${pieceLetter(f, i)}`);
    swatch.setAttribute('aria-hidden', 'true');
    const area = el('span', 'piece-area', fmtMu(pieceArea(f), 3));
    area.dataset.testid = 'carve-piece-area';
    area.dataset.value = String(pieceArea(f));
    li.append(swatch, el('strong', '', f.properties.plot_no), document.createTextNode(' '), area,
      el('span', 'muted', ` (${fmtM2(f.properties.stated_area_m2 ?? f.properties.area_m2)})`));
    list.append(li);
  }
  panel.append(list);
  const total = pieces.reduce((s, f) => s + Number(pieceArea(f) || 0), 0);
  panel.append(el('p', 'muted', t('carve.total', {
    total: fmtMu(total, 3),
    parent: fmtMu(parent.properties.stated_area_mu ?? parent.properties.area_mu, 3),
  })));
  const actions = el('div', 'actions');
  actions.append(button(t('carve.commit'), () => commitCarve(candidate), 'danger'));
  if (plan?.projectId) actions.append(button(t('carve.reserve_piece'), () => reserveCandidate(candidate)));
  actions.append(button(t('carve.clear'), () => {
    const opener = preview?.opener;
    clearPreview();
    if (opener?.isConnected) opener.focus();
  }));
  panel.append(actions);
  panel.hidden = false;
}

function clearPreview() {
  preview = null;
  renderPreview();
}

async function commitCarve(c) {
  if (!window.confirm(t('carve.confirm', { plot: candidateName(c), area: fmtMu(c.split.area_mu, 3) }))) return;
  try {
    const answer = await write(`/parcels/${c.split.parcel_id}/split`, splitBody(c));
    const names = (answer.features || []).map((f) => f.properties.plot_no).join(', ');
    clearPreview();
    announce(t('carve.done', { plots: names }));
    changed();
    if (plan) fit();
  } catch (e) {
    showError(e);
  }
}

// --- reservations ---------------------------------------------------------------------------------------------------

async function reserve(body, description) {
  try {
    const r = await write('/reservations', body);
    announce(t('reserve.done', { what: description, id: r.id, until: fmtDateTime(r.expires_at) }));
    clearError();
    changed();
    return r;
  } catch (e) {
    showError(e);
    return null;
  }
}

function reserveCandidate(c) {
  const projectId = plan?.projectId;
  if (!projectId) return;
  if (c.kind === 'single') reserve({ project_id: projectId, parcel_id: c.parcel_ids[0] }, candidateName(c));
  else if (c.kind === 'units') reserve({ project_id: projectId, unit_ids: c.unit_ids }, candidateName(c));
  else if (c.kind === 'carved') {
    reserve({ project_id: projectId, carve: { parcel_id: c.split.parcel_id, ...splitBody(c) } }, candidateName(c))
      .then((r) => {
        if (r) {
          clearPreview();
          fit();
        }
      });
  }
}

async function plotName(parcelId) {
  if (!plotNames.has(parcelId)) {
    plotNames.set(parcelId, get(`/collections/parcels/items/${parcelId}?properties=plot_no`)
      .then((f) => f.properties.plot_no)
      .catch(() => `#${parcelId}`));
  }
  return plotNames.get(parcelId);
}

async function loadReservations() {
  if (!signedIn()) return;
  try {
    const [r, a] = await Promise.all([get('/reservations?status=active'), get('/allocations?status=active')]);
    reservations = r.items || [];
    allocations = a.items || [];
    await Promise.all([...reservations, ...allocations].filter((x) => x.parcel_id != null)
      .map(async (x) => { x.plot_no = await plotName(x.parcel_id); }));
    renderReservations();
  } catch (e) {
    if (e.status === 401) {
      setToken(null);
      signOut();
    }
    showError(e);
  }
}

function targetText(x) {
  if (x.parcel_id != null) return x.plot_no || `#${x.parcel_id}`;
  if (x.unit_ids) return t('reserve.units', { ids: x.unit_ids.join(', ') });
  return '—';
}

function projectText(id) {
  const p = projectById(id);
  return p ? projectLabel(p) : `#${id}`;
}

function renderReservations() {
  const ul = $('reservations');
  ul.replaceChildren();
  if (!reservations.length) ul.append(el('li', 'empty', t('reserve.none')));
  for (const r of reservations) {
    const li = el('li', 'row');
    li.dataset.id = String(r.id);
    li.append(el('div', 'row-main', `#${r.id} · ${targetText(r)} · ${projectText(r.project_id)}`),
      el('div', 'muted', t('reserve.expires', { when: fmtDateTime(r.expires_at), actor: r.actor })));
    const actions = el('div', 'actions');
    if (r.parcel_id != null) {
      actions.append(button(t('reserve.show'), (e) =>
        detail.openDetail({ collection: 'parcels', id: r.parcel_id, opener: e.currentTarget, focus: true })));
    }
    actions.append(
      button(t('reserve.confirm'), () => toggleConfirmForm(li, r)),
      button(t('reserve.release'), () => releaseReservation(r), 'danger'),
    );
    li.append(actions);
    ul.append(li);
  }
  const al = $('allocations');
  al.replaceChildren();
  if (!allocations.length) al.append(el('li', 'empty', t('allocation.none')));
  for (const a of allocations) {
    const li = el('li', 'row');
    li.dataset.id = String(a.id);
    li.append(el('div', 'row-main', `#${a.id} · ${targetText(a)} · ${projectText(a.project_id)}`),
      el('div', 'muted', [codeName('supply_method', a.supply_method), a.term_years ? t('unit.years', { n: a.term_years }) : '',
        a.price_wan != null ? fmtWan(a.price_wan) : '', a.contract_ref || '', fmtDateTime(a.confirmed_at)]
        .filter((s) => s && s !== '—').join(' · ')));
    const actions = el('div', 'actions');
    if (a.parcel_id != null) {
      actions.append(button(t('reserve.show'), (e) =>
        detail.openDetail({ collection: 'parcels', id: a.parcel_id, opener: e.currentTarget, focus: true })));
    }
    actions.append(button(t('allocation.release'), () => releaseAllocation(a), 'danger'));
    li.append(actions);
    al.append(li);
  }
}

const SUPPLY_METHODS = ['transfer_listing', 'transfer_auction', 'transfer_tender', 'transfer_agreement', 'lease',
  'lease_then_transfer', 'capital_contribution'];

function toggleConfirmForm(li, r) {
  const existing = li.querySelector('form');
  if (existing) {
    existing.remove();
    return;
  }
  const form = el('form', 'stack confirm-form');
  form.noValidate = true;
  const field = (labelKey, input) => {
    const label = el('label');
    label.append(el('span', '', t(labelKey)), input);
    return label;
  };
  const method = el('select');
  method.name = 'supply_method';
  method.add(new Option(t('confirm.method.default'), ''));
  for (const m of SUPPLY_METHODS) method.add(new Option(codeName('supply_method', m), m));
  const term = Object.assign(el('input'), { type: 'number', name: 'term_years', min: '1', step: '1' });
  const price = Object.assign(el('input'), { type: 'number', name: 'price_wan', min: '0', step: 'any' });
  const contract = Object.assign(el('input'), { type: 'text', name: 'contract_ref' });
  const submit = el('button', 'primary', t('reserve.confirm_submit'));
  submit.type = 'submit';
  form.append(field('confirm.method', method), field('confirm.term', term), field('confirm.price', price),
    field('confirm.contract', contract), submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {};
    if (method.value) body.supply_method = method.value;
    if (term.value) body.term_years = Number(term.value);
    if (price.value) body.price_wan = Number(price.value);
    if (contract.value.trim()) body.contract_ref = contract.value.trim();
    try {
      const a = await write(`/reservations/${r.id}/confirm`, body);
      announce(t('reserve.confirmed', { id: r.id, allocation: a.id }));
      clearError();
      changed();
    } catch (err) {
      showError(err);
    }
  });
  li.append(form);
  method.focus();
}

async function releaseReservation(r) {
  try {
    await del(`/reservations/${r.id}`);
    announce(t('reserve.released', { id: r.id }));
    clearError();
    changed();
  } catch (e) {
    showError(e);
  }
}

async function releaseAllocation(a) {
  if (!window.confirm(t('allocation.confirm_release', { id: a.id }))) return;
  try {
    await write(`/allocations/${a.id}/release`, {});
    announce(t('allocation.released', { id: a.id }));
    clearError();
    changed();
  } catch (e) {
    showError(e);
  }
}

// --- the parcel panel: reserve and history ------------------------------------------------------------------------

function parcelSection(feature, section) {
  if (!signedIn()) return;
  const p = feature.properties;
  if (p.availability === 'available') {
    const h = el('h3', 'h3', t('reserve.title'));
    const form = el('form', 'stack reserve-form');
    form.noValidate = true;
    const projectLabelEl = el('label');
    const select = el('select');
    select.name = 'project_id';
    select.dataset.testid = 'reserve-project';
    select.add(new Option(t('reserve.pick_project'), ''));
    for (const project of projects) select.add(new Option(projectLabel(project), String(project.id)));
    if (plan?.projectId) select.value = String(plan.projectId);
    projectLabelEl.append(el('span', '', t('planner.project')), select);
    const daysLabel = el('label');
    const days = Object.assign(el('input'), { type: 'number', name: 'hold_days', min: '1', step: '1', value: '14' });
    daysLabel.append(el('span', '', t('reserve.hold_days')), days);
    const submit = el('button', 'primary', t('reserve.submit'));
    submit.type = 'submit';
    submit.dataset.testid = 'reserve-submit';
    form.append(projectLabelEl, daysLabel, submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!select.value) {
        announce(t('reserve.pick_project'));
        select.focus();
        return;
      }
      const body = { project_id: Number(select.value), parcel_id: feature.id };
      if (days.value) body.hold_days = Number(days.value);
      submit.setAttribute('aria-busy', 'true');
      await reserve(body, p.plot_no);
      submit.removeAttribute('aria-busy');
    });
    section.append(h, form);
  }
  const holds = reservations.filter((r) => r.parcel_id === feature.id);
  for (const r of holds) {
    section.append(el('p', 'muted', t('reserve.held_by', { id: r.id, project: projectText(r.project_id),
      when: fmtDateTime(r.expires_at) })));
    const actions = el('div', 'actions');
    actions.append(button(t('reserve.release'), () => releaseReservation(r), 'danger'));
    section.append(actions);
  }
  const historyBox = el('div', 'history');
  const load = button(t('history.show'), async () => {
    load.disabled = true;
    try {
      const answer = await get(`/parcels/${feature.id}/history`);
      renderHistory(historyBox, answer.events || []);
    } catch (e) {
      showError(e);
    } finally {
      load.disabled = false;
    }
  });
  section.append(el('h3', 'h3', t('history.title')), load, historyBox);
}

function renderHistory(box, events) {
  box.replaceChildren();
  if (!events.length) {
    box.append(el('p', 'muted', t('history.none')));
    return;
  }
  const ol = el('ol', 'events');
  for (const e of events) {
    const after = e.after?.properties || {};
    const before = e.before?.properties || {};
    const change = before.availability && after.availability && before.availability !== after.availability
      ? ` · ${codeName('availability', before.availability)} → ${codeName('availability', after.availability)}` : '';
    ol.append(el('li', '', `${fmtDateTime(e.at)} · ${codeName('event', e.kind)} · ${e.actor}${change}`));
  }
  box.append(ol);
  box.querySelector('li')?.setAttribute('tabindex', '-1');
}

// --- idle land ------------------------------------------------------------------------------------------------------

async function loadIdle() {
  const asOf = $('idle-as-of').value || todayUtc();
  announce(t('idle.loading'));
  try {
    const [report, layer] = await Promise.all([
      get(`/reports/idle-land${query({ as_of: asOf })}`),
      get(`/reports/idle-land${query({ as_of: asOf, f: 'geojson' })}`),
    ]);
    idle = { report, layer };
    clearError();
    mapApi.showIdleLand(layer);
    renderIdle();
    announce(t('idle.loaded', { n: (report.parcels || []).length }));
  } catch (e) {
    showError(e);
  }
}

function renderIdle() {
  const table = $('idle-table');
  const tbody = table.querySelector('tbody');
  const summary = $('idle-summary');
  tbody.replaceChildren();
  summary.replaceChildren();
  if (!idle) {
    table.hidden = true;
    return;
  }
  const s = idle.report.summary || {};
  const parts = [];
  for (const status of ['warning', 'idle', 'reclaimable']) {
    const entry = s[status] ?? s.by_status?.[status];
    if (entry) {
      const count = entry.count ?? entry;
      const area = entry.stated_area_mu;
      parts.push(`${codeName('idle_status', status)} ${fmtNum(count, 0)}${area != null ? ` (${fmtMu(area)})` : ''}`);
    }
  }
  if (s.fees_due_wan != null) parts.push(t('idle.fees', { v: fmtWan(s.fees_due_wan) }));
  summary.append(el('p', '', `${t('idle.as_of', { d: fmtDate(idle.report.as_of) })} ${parts.join(' · ')}`));
  const features = new Map((idle.layer.features || []).map((f) => [f.id, f]));
  for (const row of idle.report.parcels || []) {
    const id = row.parcel_id ?? row.id;
    const tr = el('tr');
    tr.dataset.status = row.idle_status;
    const first = el('td');
    first.append(button(row.plot_no || `#${id}`, (e) => {
      const f = features.get(id);
      if (f?.geometry) mapApi.fitTo([f.geometry], { maxZoom: 17 });
      detail.openDetail({ collection: 'parcels', id, opener: e.currentTarget, fit: !f?.geometry });
    }, 'link-button'));
    const statusText = `${codeName('idle_status', row.idle_status)}${row.government_caused || row.exempt ? ` (${t('idle.exempt')})` : ''}`;
    tr.append(first, el('td', `status-${row.idle_status}`, statusText), el('td', '', codeName('idle_rule', row.idle_rule)),
      el('td', 'num', row.days_idle != null ? fmtNum(row.days_idle, 0) : row.days_until_idle != null
        ? t('idle.in_days', { n: fmtNum(row.days_until_idle, 0) }) : '—'),
      el('td', 'num', row.idle_fee_wan != null ? fmtWan(row.idle_fee_wan) : '—'));
    tbody.append(tr);
  }
  table.hidden = false;
}

// --- setup ----------------------------------------------------------------------------------------------------------

export function initPlanner() {
  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    signIn($('token-input').value.trim());
  });
  $('signout').addEventListener('click', signOut);
  $('fit-form').addEventListener('submit', (e) => {
    e.preventDefault();
    fit();
  });
  $('fit-project').addEventListener('change', () => {
    const p = projectById($('fit-project').value);
    const form = $('fit-form');
    if (p) {
      form.elements.industry.value = p.properties.industry || '';
      form.elements.class.value = p.properties.required_class || '';
      form.elements.fixed_asset_investment_wan.value = '';
      form.elements.preferred_zone.value = '';
    }
  });
  $('reservations-refresh').addEventListener('click', loadReservations);
  $('idle-form').addEventListener('submit', (e) => {
    e.preventDefault();
    loadIdle();
  });
  $('idle-as-of').value = todayUtc();
  detail.extend('parcels', parcelSection);
  onLangChange(() => {
    renderProjectSelect();
    renderPlan();
    renderPreview();
    renderReservations();
    renderIdle();
  });
  if (signedIn()) {
    get('/reservations?status=active')
      .then(() => showSignedIn())
      .catch((e) => {
        setToken(null);
        if (e.status !== 401) showError(e);
      });
  }
}

/** A click on a candidate on the map brings it forward in the list. */
export function mapClicked(feature) {
  if (feature.layer.id !== 'candidates-fill') return false;
  const item = $('candidates').querySelector(`li.candidate[data-key="${CSS.escape(String(feature.properties.key))}"]`);
  if (!item) return false;
  item.scrollIntoView({ block: 'nearest' });
  item.querySelector('button')?.focus();
  return true;
}

/** The planner's overlays are shown with its view only. */
export function setActive(visible) {
  if (visible) {
    drawCandidates();
    if (preview) renderPreview();
  } else {
    mapApi.showCandidates(null);
    mapApi.showCarvePreview(null);
  }
}
