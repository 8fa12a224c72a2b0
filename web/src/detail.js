// The detail panel of one parcel, building, unit or factory-space offer: its specs from
// /collections/{c}/items/{id}, drawn as the selection on the map. Escape closes it.

import { get } from './api.js';
import {
  t, codeName, placeName, onLangChange, fmtNum, fmtMu, fmtM2, fmtM, fmtKn, fmtKva, fmtT, fmtPct, fmtRent, fmtWan,
  fmtWanPerMu, fmtDate, fmtBool, fmtYuan, fmtDistance,
} from './i18n.js';
import * as mapApi from './map.js';
import * as url from './url-state.js';
import { showError, announce } from './status.js';

const text = (v) => (v == null || v === '' ? '—' : String(v));
const code = (kind) => (v) => codeName(kind, v);
const years = (v) => (v == null ? '—' : t('unit.years', { n: fmtNum(v, 0) }));
const floor = (v) => fmtNum(v, 0);
const ratio = (v) => fmtNum(v, 2);
const zone = (v) => {
  const z = mapApi.zoneList().find((item) => item.properties.code === v);
  return z ? `${placeName(z.properties)} (${v})` : text(v);
};

/** What each panel shows, in order: [property, formatter]. Absent properties are left out. */
const FIELDS = {
  parcels: [
    ['zone', zone], ['availability', code('availability')], ['class', code('class')],
    ['land_use_code', code('land_use')], ['stated_area_mu', fmtMu], ['area_m2', fmtM2],
    ['supply_method', code('supply_method')], ['price_wan_per_mu', fmtWanPerMu], ['term_years', years],
    ['available_from', fmtDate], ['plot_ratio_min', ratio], ['plot_ratio_max', ratio], ['coverage_min', fmtPct],
    ['height_max_m', fmtM], ['power_available_kva', fmtKva], ['dev_stage', code('dev_stage')],
    ['revitalized', fmtBool], ['parcel_code', text], ['holder', text], ['land_price_wan', fmtWan],
    ['supply_date', fmtDate], ['agreed_start_date', fmtDate], ['actual_start_date', fmtDate],
    ['agreed_completion_date', fmtDate], ['required_gfa_m2', fmtM2], ['built_gfa_m2', fmtM2],
    ['total_investment_wan', fmtWan], ['invested_wan', fmtWan],
  ],
  buildings: [
    ['name', text], ['zone', zone], ['status', code('building_status')], ['structure', code('structure')],
    ['floors', (v) => fmtNum(v, 0)], ['gross_floor_area_m2', fmtM2], ['floor_plate_m2', fmtM2],
    ['height_1f_m', fmtM], ['height_upper_m', fmtM], ['load_1f_kn_m2', fmtKn], ['load_upper_kn_m2', fmtKn],
    ['lift_count', (v) => fmtNum(v, 0)], ['lift_capacity_t', fmtT], ['transformer_kva', fmtKva],
    ['fire_class', code('fire_class')], ['completion_date', fmtDate], ['operator', text],
  ],
  units: [
    ['building_no', text], ['zone', zone], ['status', code('unit_status')], ['floor', floor],
    ['whole_floor', fmtBool], ['area_m2', fmtM2], ['height_m', fmtM], ['load_kn_m2', fmtKn], ['power_kva', fmtKva],
    ['lift_access', fmtBool], ['rent_yuan_m2_month', fmtRent], ['available_from', fmtDate],
  ],
  offer: [
    ['building_no', text], ['zone', zone], ['floor', floor], ['unit_count', (v) => fmtNum(v, 0)],
    ['total_area_m2', fmtM2], ['rent_yuan_m2_month', fmtRent], ['rent_yuan_month', fmtYuan], ['height_m', fmtM],
    ['load_kn_m2', fmtKn], ['power_kva', fmtKva], ['lift_t', (v) => (v == null ? t('detail.no_lift') : fmtT(v))],
    ['fire_class', code('fire_class')], ['available_from', fmtDate],
  ],
};

const TITLE = {
  parcels: (p) => t('detail.parcel', { name: p.plot_no }),
  buildings: (p) => t('detail.building', { name: p.building_no }),
  units: (p) => t('detail.unit', { name: p.label }),
  offer: (p) => t('detail.offer', { name: (p.labels || []).join(' + ') }),
};

let current = null;
let sequence = 0;
const extensions = [];
const closeListeners = [];

const panel = () => document.getElementById('detail');

/** Adds a section to the panels of one collection: `render(feature, container)` (e.g. the planner's actions). */
export function extend(collection, render) {
  extensions.push({ collection, render });
}

export function onClose(fn) {
  closeListeners.push(fn);
}

export function isOpen() {
  return !panel().hidden;
}

export function currentSelection() {
  return current && { collection: current.collection, id: current.id };
}

function dl(rows) {
  const list = document.createElement('dl');
  list.className = 'specs';
  for (const [label, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    list.append(dt, dd);
  }
  return list;
}

function specRows(collection, props) {
  return FIELDS[collection]
    .filter(([name]) => props[name] !== undefined && props[name] !== null)
    .map(([name, format]) => [t(`field.${name}`), format(props[name])]);
}

function button(label, onClick, className = '') {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (className) b.className = className;
  b.addEventListener('click', onClick);
  return b;
}

/**
 * Opens the panel for `collection` (`parcels`, `buildings`, `units`, or `offer` with the offer's feature) and item
 * `id`. `opener` gets the focus back when the panel closes; `focus` moves the focus into the panel.
 */
export async function openDetail({ collection, id, offer = null, extra = null, opener = null, focus = false, fit = true }) {
  const mine = ++sequence;
  current = { collection, id: String(id), opener, feature: null, offer, extra };
  const box = panel();
  const title = document.getElementById('detail-title');
  const body = document.getElementById('detail-body');
  box.hidden = false;
  box.dataset.collection = collection;
  box.dataset.id = String(id);
  title.textContent = t('common.loading');
  body.replaceChildren();
  body.setAttribute('aria-busy', 'true');
  url.set({ sel: `${collection}.${id}` });
  if (focus) title.focus();
  try {
    let feature;
    if (collection === 'offer') {
      feature = offer;
    } else {
      feature = await get(`/collections/${collection}/items/${encodeURIComponent(id)}`);
    }
    if (mine !== sequence) return;
    current.feature = feature;
    render();
    mapApi.showSelection(feature.geometry);
    if (fit && feature.geometry) mapApi.fitTo([feature.geometry], { maxZoom: collection === 'parcels' ? 16 : 17.5 });
  } catch (e) {
    if (mine !== sequence) return;
    title.textContent = t('detail.failed');
    showError(e);
  } finally {
    if (mine === sequence) body.removeAttribute('aria-busy');
  }
}

/** Draws the open panel again (after a language switch or a change of the record). */
function render() {
  if (!current?.feature) return;
  const { collection, feature } = current;
  const props = feature.properties || {};
  document.getElementById('detail-title').textContent = TITLE[collection](props);
  const body = document.getElementById('detail-body');
  body.replaceChildren(dl(specRows(collection, props)));

  const actions = document.createElement('div');
  actions.className = 'actions';
  if (feature.geometry) {
    actions.append(button(t('detail.zoom_to'), () => mapApi.fitTo([feature.geometry], { maxZoom: 17.5 })));
  }
  if (collection === 'units' && props.building_id != null) {
    actions.append(button(t('detail.open_building'), () =>
      openDetail({ collection: 'buildings', id: props.building_id, opener: current.opener, focus: true })));
  }
  const metres = props.distances_m || current.extra?.distances_m;
  if (collection === 'parcels' && metres) body.append(distances(metres));
  body.append(actions);

  if (collection === 'offer') body.append(offerUnits(props));
  if (collection === 'buildings') body.append(buildingUnits(feature.id));
  for (const ext of extensions) {
    if (ext.collection === collection) {
      const section = document.createElement('section');
      section.className = 'detail-section';
      ext.render(feature, section);
      if (section.childElementCount) body.append(section);
    }
  }
}

function distances(d) {
  const rows = Object.entries(d).map(([kind, metres]) => [codeName('poi_kind', kind), fmtDistance(metres)]);
  const section = document.createElement('section');
  section.className = 'detail-section';
  const h = document.createElement('h3');
  h.className = 'h3';
  h.textContent = t('detail.distances');
  section.append(h, dl(rows));
  return section;
}

function offerUnits(props) {
  const section = document.createElement('section');
  section.className = 'detail-section';
  const h = document.createElement('h3');
  h.className = 'h3';
  h.textContent = t('detail.units_of_offer');
  const list = document.createElement('ul');
  list.className = 'link-list';
  (props.unit_ids || []).forEach((unitId, i) => {
    const li = document.createElement('li');
    li.append(button(props.labels?.[i] || String(unitId), () =>
      openDetail({ collection: 'units', id: unitId, opener: current.opener, focus: true }), 'link-button'));
    list.append(li);
  });
  if (props.building_id != null) {
    const li = document.createElement('li');
    li.append(button(t('detail.open_building'), () =>
      openDetail({ collection: 'buildings', id: props.building_id, opener: current.opener, focus: true }), 'link-button'));
    list.append(li);
  }
  section.append(h, list);
  return section;
}

function buildingUnits(buildingId) {
  const section = document.createElement('section');
  section.className = 'detail-section';
  const h = document.createElement('h3');
  h.className = 'h3';
  h.textContent = t('detail.units_of_building');
  const list = document.createElement('ul');
  list.className = 'link-list units-list';
  section.append(h, list);
  get(`/collections/units/items?building_id=${encodeURIComponent(buildingId)}&limit=1000&sortby=floor,label`)
    .then((answer) => {
      for (const unit of answer.features || []) {
        const p = unit.properties;
        const li = document.createElement('li');
        li.append(button(`${p.label} · ${codeName('unit_status', p.status)} · ${fmtM2(p.area_m2)}`, () =>
          openDetail({ collection: 'units', id: unit.id, opener: current?.opener, focus: true }), 'link-button'));
        list.append(li);
      }
    })
    .catch(showError);
  return section;
}

/** Reloads the open record (after a write). */
export function refresh() {
  if (current && current.collection !== 'offer') {
    openDetail({ collection: current.collection, id: current.id, extra: current.extra, opener: current.opener, fit: false });
  }
}

export function closeDetail({ restoreFocus = true } = {}) {
  if (!isOpen()) return;
  sequence++;
  const opener = current?.opener;
  panel().hidden = true;
  current = null;
  mapApi.showSelection(null);
  url.set({ sel: null });
  closeListeners.forEach((fn) => fn());
  if (restoreFocus && opener && opener.isConnected) opener.focus();
  announce(t('detail.closed'));
}

export function initDetail() {
  document.getElementById('detail-close').addEventListener('click', () => closeDetail());
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && isOpen() && !e.defaultPrevented) {
      e.preventDefault();
      closeDetail();
    }
  });
  onLangChange(render);
}
