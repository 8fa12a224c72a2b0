// The map: landbank's own style and vector tiles, with the page's overlays (search results, plan candidates, carve
// previews, idle land, the selection), labels in the page's language, layer toggles, legend and zone zoom.

import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';

import { get, ApiError } from './api.js';
import { t, lang, onLangChange, placeName } from './i18n.js';
import * as url from './url-state.js';
import { showError } from './status.js';

const SOURCE = 'landbank';
const EMPTY = { type: 'FeatureCollection', features: [] };
const LABEL_FONT = ['Noto Sans Regular', 'Noto Sans CJK SC Regular', 'sans-serif'];

/** Colours of the page's own layers (the parcels' colours come from the server's style). */
export const COLOURS = {
  zoneCn: '#e4dcc8',
  zoneVn: '#c9d8ea',
  zoneLine: '#37474f',
  building: '#7a5c4f',
  unit: '#3e2b23',
  road: '#e07b00',
  bridge_freight: '#c62828',
  bridge_people: '#8e24aa',
  service_centre: '#00838f',
  twin_park: '#1565c0',
  port: '#6d4c41',
  rail: '#455a64',
  result: '#1d4ed8',
  candidate: '#7c3aed',
  pieceA: '#0ea5e9',
  pieceB: '#f97316',
  selection: '#111827',
  idle: { warning: '#facc15', idle: '#f97316', reclaimable: '#dc2626' },
};

/** Layers switched on and off together. */
const GROUPS = {
  basemap: ['basemap'],
  zones: ['zones-fill', 'zones-outline', 'zone-labels'],
  parcels: ['parcels-fill', 'parcels-outline', 'parcels-label'],
  buildings: ['buildings-fill', 'buildings-label'],
  units: ['units-outline', 'units-hit', 'units-label'],
  pois: ['roads-casing', 'pois-lines', 'pois-points', 'pois-label-line', 'pois-label-point'],
  idle: ['idle-land-fill', 'idle-land-line'],
  labels: ['zone-labels', 'parcels-label', 'buildings-label', 'units-label', 'pois-label-line', 'pois-label-point',
    'candidates-label', 'carve-preview-label'],
};
const groupState = { basemap: true, zones: true, parcels: true, buildings: true, units: true, pois: true, idle: true,
  labels: true };

let map = null;
let basemap = null;
let availabilityColours = [];
let revalidateTiles = false;
let zones = [];
let resultKeys = null;
let resultsVisible = true;
let ready;

export function getMap() {
  return map;
}

/** The deployment's settings; a missing /app/config.json means no basemap. */
async function loadConfig() {
  try {
    const config = await get('/app/config.json', { token: null });
    return config && typeof config === 'object' ? config : {};
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return {};
    throw e;
  }
}

/** [[availability, colour]…] from the server style's `match` on availability. */
function coloursOf(expression) {
  const pairs = [];
  if (Array.isArray(expression) && expression[0] === 'match') {
    for (let i = 2; i + 1 < expression.length; i += 2) pairs.push([expression[i], expression[i + 1]]);
  }
  return pairs;
}

function labelText(nameField) {
  return ['coalesce', ['get', `${nameField}_${lang()}`], ['get', `${nameField}_zh`], ['get', `${nameField}_en`]];
}

const halo = { 'text-halo-color': 'rgba(255,255,255,0.92)', 'text-halo-width': 1.4 };

/** The server's style with the page's layers added. */
function buildStyle(serverStyle, config) {
  const style = structuredClone(serverStyle);
  style.sources[SOURCE] = { type: 'vector', url: `${window.location.origin}/tiles/WebMercatorQuad/tilejson.json` };
  const layers = [];
  const byId = Object.fromEntries(style.layers.map((l) => [l.id, l]));
  availabilityColours = coloursOf(byId['parcels-fill']?.paint?.['fill-color']);

  for (const layer of style.layers) {
    layers.push(layer);
    if (layer.id === 'background' && config.basemap?.tiles?.length) {
      basemap = config.basemap;
      style.sources.basemap = {
        type: 'raster',
        tiles: config.basemap.tiles,
        tileSize: 256,
        attribution: config.basemap.attribution || '',
        maxzoom: 19,
      };
      layers.push({ id: 'basemap', type: 'raster', source: 'basemap', paint: { 'raster-opacity': 0.85 } });
    }
    if (layer.id === 'zones-fill') {
      layer.paint = {
        'fill-color': ['match', ['get', 'country'], 'VN', COLOURS.zoneVn, COLOURS.zoneCn],
        'fill-opacity': basemap ? 0.25 : 0.55,
      };
    }
    if (layer.id === 'parcels-outline') {
      layer.minzoom = 11;
      layer.paint['line-color'] = '#ffffff';
      layer.paint['line-width'] = ['interpolate', ['linear'], ['zoom'], 11, 0.2, 14, 0.8, 18, 2];
    }
    if (layer.id === 'units-outline') {
      layers.push({
        id: 'units-hit', type: 'fill', source: SOURCE, 'source-layer': 'units', minzoom: 16,
        paint: { 'fill-color': COLOURS.unit, 'fill-opacity': 0.01 },
      });
    }
    if (layer.id === 'zones-outline') {
      layer.paint = {
        'line-color': ['match', ['get', 'country'], 'VN', COLOURS.twin_park, COLOURS.zoneLine],
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.2, 15, 2.5],
        'line-dasharray': [4, 2],
      };
      layers.push({
        id: 'roads-casing', type: 'line', source: SOURCE, 'source-layer': 'pois',
        filter: ['match', ['geometry-type'], ['LineString', 'MultiLineString'], true, false],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 3.5, 16, 10] },
      });
    }
    if (layer.id === 'pois-points') {
      layer.paint = {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 5, 16, 9],
        'circle-color': ['match', ['get', 'kind'],
          'bridge_freight', COLOURS.bridge_freight, 'bridge_people', COLOURS.bridge_people,
          'service_centre', COLOURS.service_centre, 'twin_park', COLOURS.twin_park,
          'port', COLOURS.port, 'rail', COLOURS.rail, '#555555'],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      };
    }
  }

  const geojson = (id) => {
    style.sources[id] = { type: 'geojson', data: EMPTY };
  };
  ['results', 'candidates', 'carve-preview', 'idle-land', 'selection', 'zone-labels', 'parcel-labels'].forEach(geojson);

  layers.push(
    {
      id: 'idle-land-fill', type: 'fill', source: 'idle-land',
      paint: { 'fill-color': ['match', ['get', 'idle_status'], 'warning', COLOURS.idle.warning,
        'idle', COLOURS.idle.idle, 'reclaimable', COLOURS.idle.reclaimable, '#9ca3af'], 'fill-opacity': 0.55 },
    },
    {
      id: 'idle-land-line', type: 'line', source: 'idle-land',
      paint: { 'line-color': '#7f1d1d', 'line-width': 2, 'line-dasharray': [1, 1] },
    },
    {
      id: 'results-fill', type: 'fill', source: 'results',
      paint: { 'fill-color': COLOURS.result, 'fill-opacity': ['case', ['==', ['get', 'selected'], true], 0.45, 0.12] },
    },
    {
      id: 'results-line', type: 'line', source: 'results',
      paint: { 'line-color': COLOURS.result, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.5, 16, 3] },
    },
    {
      id: 'results-hover', type: 'line', source: 'results', filter: ['==', ['get', 'key'], ''],
      paint: { 'line-color': '#f59e0b', 'line-width': 5 },
    },
    {
      id: 'candidates-fill', type: 'fill', source: 'candidates', filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'fill-color': COLOURS.candidate, 'fill-opacity': 0.18 },
    },
    {
      id: 'candidates-line', type: 'line', source: 'candidates', filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': COLOURS.candidate, 'line-width': 2.5, 'line-dasharray': [3, 1.5] },
    },
    {
      id: 'candidates-hover', type: 'line', source: 'candidates', filter: ['==', ['get', 'key'], ''],
      paint: { 'line-color': '#f59e0b', 'line-width': 5 },
    },
    {
      id: 'carve-preview-fill', type: 'fill', source: 'carve-preview', filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'fill-color': ['match', ['get', 'piece'], 'A', COLOURS.pieceA, COLOURS.pieceB], 'fill-opacity': 0.8 },
    },
    {
      id: 'carve-preview-line', type: 'line', source: 'carve-preview', filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': '#111827', 'line-width': 2 },
    },
    {
      id: 'selection-line-casing', type: 'line', source: 'selection',
      paint: { 'line-color': '#ffffff', 'line-width': 6 },
    },
    {
      id: 'selection-line', type: 'line', source: 'selection',
      paint: { 'line-color': COLOURS.selection, 'line-width': 3 },
    },
    {
      id: 'parcels-label', type: 'symbol', source: 'parcel-labels', minzoom: 14.5,
      filter: ['!=', ['get', 'availability'], 'retired'],
      layout: { 'text-field': ['get', 'plot_no'], 'text-font': LABEL_FONT, 'text-size': 11, 'text-padding': 4 },
      paint: { 'text-color': '#1f2937', ...halo },
    },
    {
      id: 'buildings-label', type: 'symbol', source: SOURCE, 'source-layer': 'buildings', minzoom: 16,
      layout: { 'text-field': ['get', 'building_no'], 'text-font': LABEL_FONT, 'text-size': 11 },
      paint: { 'text-color': '#3e2b23', ...halo },
    },
    {
      id: 'units-label', type: 'symbol', source: SOURCE, 'source-layer': 'units', minzoom: 18,
      layout: { 'text-field': ['get', 'label'], 'text-font': LABEL_FONT, 'text-size': 10 },
      paint: { 'text-color': '#3e2b23', ...halo },
    },
    {
      id: 'pois-label-line', type: 'symbol', source: SOURCE, 'source-layer': 'pois',
      filter: ['match', ['geometry-type'], ['LineString', 'MultiLineString'], true, false],
      layout: { 'symbol-placement': 'line', 'text-field': labelText('name'), 'text-font': LABEL_FONT,
        'text-size': 12, 'symbol-spacing': 400 },
      paint: { 'text-color': '#7c2d12', ...halo },
    },
    {
      id: 'pois-label-point', type: 'symbol', source: SOURCE, 'source-layer': 'pois',
      filter: ['match', ['geometry-type'], ['Point', 'MultiPoint'], true, false],
      layout: { 'text-field': labelText('name'), 'text-font': LABEL_FONT, 'text-size': 12,
        'text-variable-anchor': ['left', 'right', 'top', 'bottom'], 'text-radial-offset': 0.9, 'text-justify': 'auto',
        'text-max-width': 12, 'text-optional': true },
      paint: { 'text-color': '#312e81', ...halo },
    },
    {
      id: 'zone-labels', type: 'symbol', source: 'zone-labels', maxzoom: 15,
      layout: { 'text-field': labelText('name'), 'text-font': LABEL_FONT, 'text-size': 14, 'text-max-width': 10,
        'text-allow-overlap': false },
      paint: { 'text-color': '#263238', ...halo, 'text-halo-width': 2 },
    },
    {
      id: 'candidates-label', type: 'symbol', source: 'candidates', filter: ['==', ['geometry-type'], 'Point'],
      layout: { 'text-field': ['concat', '#', ['to-string', ['get', 'rank']]], 'text-font': LABEL_FONT,
        'text-size': 14, 'text-allow-overlap': true },
      paint: { 'text-color': COLOURS.candidate, ...halo, 'text-halo-width': 2 },
    },
    {
      id: 'carve-preview-label', type: 'symbol', source: 'carve-preview', filter: ['==', ['geometry-type'], 'Point'],
      layout: { 'text-field': ['get', 'text'], 'text-font': LABEL_FONT, 'text-size': 13, 'text-allow-overlap': true },
      paint: { 'text-color': '#111827', ...halo, 'text-halo-width': 2 },
    },
  );
  style.layers = layers;
  return style;
}

function transformRequest(requested, resourceType) {
  if (revalidateTiles && (resourceType === 'Tile' || resourceType === 'Source') && requested.includes('/tiles/')) {
    return { url: requested, cache: 'no-cache' };
  }
  return undefined;
}

/** Creates the map in `container`; resolves once the style and the zones are loaded. */
export async function createMap(container) {
  const [serverStyle, config, zoneItems] = await Promise.all([
    get('/styles/default', { token: null }),
    loadConfig(),
    get('/collections/zones/items?limit=100', { token: null }),
  ]);
  zones = zoneItems.features || [];
  const style = buildStyle(serverStyle, config);
  const view = url.mapView();
  map = new maplibregl.Map({
    container,
    style,
    center: view?.center ?? style.center,
    zoom: view?.zoom ?? style.zoom,
    transformRequest,
    attributionControl: false,
    maxPitch: 0,
    dragRotate: false,
    pitchWithRotate: false,
    locale: mapLocale(),
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right');
  map.addControl(new maplibregl.AttributionControl({ compact: true }), 'bottom-right');

  ready = new Promise((resolve, reject) => {
    map.once('load', resolve);
    map.once('error', (e) => {
      if (!map.loaded()) reject(e.error || new Error('map error'));
    });
  });
  await ready;

  map.getSource('zone-labels').setData(zoneLabelPoints());
  loadParcelLabels();
  document.addEventListener('landbank:changed', loadParcelLabels);
  if (!view) fitPark();
  map.on('moveend', () => url.setMapView(map.getZoom(), map.getCenter()));
  map.on('mousemove', (e) => {
    const hit = map.queryRenderedFeatures(e.point, { layers: clickableLayers() });
    map.getCanvas().style.cursor = hit.length ? 'pointer' : '';
  });
  renderToggles();
  renderLegend();
  renderZoneZoom();
  onLangChange(() => {
    applyLabelLanguage();
    renderToggles();
    renderLegend();
    renderZoneZoom();
    localiseControls();
  });
  localiseControls();
  return map;
}

function mapLocale() {
  return {
    'NavigationControl.ZoomIn': t('map.zoom_in'),
    'NavigationControl.ZoomOut': t('map.zoom_out'),
    'NavigationControl.ResetBearing': t('map.reset_north'),
    'AttributionControl.ToggleAttribution': t('map.attribution'),
    'Map.Title': t('map.label'),
  };
}

/** MapLibre sets its controls' labels once: relabel them after a language switch. */
function localiseControls() {
  const container = map.getContainer();
  const relabel = (selector, text) => {
    container.querySelectorAll(selector).forEach((el) => {
      el.setAttribute('aria-label', text);
      el.setAttribute('title', text);
    });
  };
  relabel('.maplibregl-ctrl-zoom-in', t('map.zoom_in'));
  relabel('.maplibregl-ctrl-zoom-out', t('map.zoom_out'));
  relabel('.maplibregl-ctrl-attrib-button', t('map.attribution'));
  map.getCanvas().setAttribute('aria-label', t('map.label'));
}

function applyLabelLanguage() {
  map.setLayoutProperty('zone-labels', 'text-field', labelText('name'));
  map.setLayoutProperty('pois-label-line', 'text-field', labelText('name'));
  map.setLayoutProperty('pois-label-point', 'text-field', labelText('name'));
}

// --- geometry helpers ---------------------------------------------------------------------------------------------

function eachPosition(geometry, fn) {
  if (!geometry) return;
  const walk = (coords) => {
    if (typeof coords[0] === 'number') fn(coords);
    else coords.forEach(walk);
  };
  if (geometry.type === 'GeometryCollection') geometry.geometries.forEach((g) => eachPosition(g, fn));
  else walk(geometry.coordinates);
}

/** [minLon, minLat, maxLon, maxLat] of GeoJSON geometries, or null. */
export function bboxOf(geometries) {
  let box = null;
  for (const g of geometries) {
    eachPosition(g, ([x, y]) => {
      if (!box) box = [x, y, x, y];
      else box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)];
    });
  }
  return box;
}

/** The area-weighted centroid of a polygon's outer ring (the box's centre otherwise). */
export function centroidOf(geometry) {
  const ring = geometry?.type === 'Polygon' ? geometry.coordinates[0]
    : geometry?.type === 'MultiPolygon' ? geometry.coordinates[0][0] : null;
  if (ring) {
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0; i < ring.length - 1; i++) {
      const [x0, y0] = ring[i];
      const [x1, y1] = ring[i + 1];
      const f = x0 * y1 - x1 * y0;
      a += f;
      cx += (x0 + x1) * f;
      cy += (y0 + y1) * f;
    }
    if (Math.abs(a) > 1e-14) return [cx / (3 * a), cy / (3 * a)];
  }
  const box = bboxOf([geometry]);
  return box ? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] : null;
}

function zoneLabelPoints() {
  return {
    type: 'FeatureCollection',
    features: zones.map((z) => ({
      type: 'Feature',
      id: z.id,
      properties: { code: z.properties.code, name_zh: z.properties.name_zh, name_en: z.properties.name_en },
      geometry: { type: 'Point', coordinates: centroidOf(z.geometry) },
    })),
  };
}

/** One label point per parcel (tiles would repeat a polygon's label in every tile it crosses). */
async function loadParcelLabels() {
  try {
    const answer = await get('/collections/parcels/items?limit=10000&properties=plot_no,availability', { token: null });
    setData('parcel-labels', {
      type: 'FeatureCollection',
      features: (answer.features || []).filter((f) => f.geometry).map((f) => ({
        type: 'Feature',
        id: f.id,
        properties: f.properties,
        geometry: { type: 'Point', coordinates: centroidOf(f.geometry) },
      })),
    });
  } catch (e) {
    showError(e);
  }
}

function padding() {
  const detail = document.getElementById('detail');
  const right = detail && !detail.hidden ? Math.min(detail.offsetWidth + 70, 440) : 60;
  return { top: 70, bottom: 50, left: 60, right: Math.max(right, 60) };
}

/** Fits the map to GeoJSON geometries. */
export function fitTo(geometries, { maxZoom = 17, animate = true } = {}) {
  const box = bboxOf(geometries.filter(Boolean));
  if (!box) return;
  map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: padding(), maxZoom, animate, duration: 600 });
}

export function fitPark() {
  const cn = zones.filter((z) => z.properties.country !== 'VN');
  fitTo((cn.length ? cn : zones).map((z) => z.geometry), { animate: false });
}

export function zoneList() {
  return zones;
}

// --- controls: zone zoom, toggles, legend --------------------------------------------------------------------------

function renderZoneZoom() {
  const select = document.getElementById('zone-zoom');
  const current = select.value;
  select.replaceChildren(new Option(t('map.whole_park'), ''));
  for (const z of zones) select.add(new Option(`${placeName(z.properties)} (${z.properties.code})`, z.properties.code));
  select.value = current;
  if (!select.dataset.bound) {
    select.dataset.bound = '1';
    select.addEventListener('change', () => zoomToZone(select.value));
  }
}

export function zoomToZone(code) {
  if (!code) return fitPark();
  const zone = zones.find((z) => z.properties.code === code);
  if (zone) fitTo([zone.geometry]);
}

function isLayerOn(id) {
  return Object.entries(GROUPS).every(([group, ids]) => !ids.includes(id) || groupState[group]);
}

function applyVisibility() {
  for (const id of new Set(Object.values(GROUPS).flat())) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', isLayerOn(id) ? 'visible' : 'none');
  }
}

function renderToggles() {
  const box = document.getElementById('layer-toggles');
  const legend = box.querySelector('legend');
  const groups = Object.keys(GROUPS).filter((g) => g !== 'basemap' || basemap);
  box.replaceChildren(legend);
  for (const group of groups) {
    const label = document.createElement('label');
    label.className = 'check';
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.checked = groupState[group];
    input.dataset.group = group;
    input.addEventListener('change', () => {
      groupState[group] = input.checked;
      applyVisibility();
    });
    const span = document.createElement('span');
    span.textContent = t(`layer.${group}`);
    label.append(input, span);
    box.append(label);
  }
}

function legendItem(kind, colour, text) {
  const li = document.createElement('li');
  const swatch = document.createElement('span');
  swatch.className = `swatch swatch-${kind}`;
  swatch.style.setProperty('--c', colour);
  swatch.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.textContent = text;
  li.append(swatch, label);
  return li;
}

function renderLegend() {
  const strip = document.getElementById('availability-strip');
  strip.replaceChildren();
  for (const [code, colour] of availabilityColours) strip.append(legendItem('fill', colour, t(`code.availability.${code}`)));
  const list = document.getElementById('legend');
  list.replaceChildren();
  for (const [code, colour] of availabilityColours) list.append(legendItem('fill', colour, t(`code.availability.${code}`)));
  list.append(
    legendItem('fill', COLOURS.zoneCn, t('legend.zone_cn')),
    legendItem('fill', COLOURS.zoneVn, t('legend.zone_vn')),
    legendItem('fill', COLOURS.building, t('legend.building')),
    legendItem('dash', COLOURS.unit, t('legend.unit')),
    legendItem('line', COLOURS.road, t('code.poi_kind.road')),
    legendItem('dot', COLOURS.bridge_freight, t('code.poi_kind.bridge_freight')),
    legendItem('dot', COLOURS.bridge_people, t('code.poi_kind.bridge_people')),
    legendItem('dot', COLOURS.service_centre, t('code.poi_kind.service_centre')),
    legendItem('dot', COLOURS.twin_park, t('code.poi_kind.twin_park')),
    legendItem('outline', COLOURS.result, t('legend.results')),
    legendItem('outline', COLOURS.candidate, t('legend.candidates')),
    legendItem('fill', COLOURS.idle.idle, t('legend.idle')),
  );
}

// --- overlays -------------------------------------------------------------------------------------------------------

function setData(source, data) {
  map.getSource(source)?.setData(data || EMPTY);
}

/** Search results (features with a `key` property); other parcels are dimmed while results are shown. */
export function showResults(features, { dimParcels = false } = {}) {
  resultKeys = features && dimParcels ? features.map((f) => Number(f.properties.key)) : null;
  setData('results', features ? { type: 'FeatureCollection', features } : EMPTY);
  applyResultsVisibility();
}

/** Shows or hides the search results (they belong to the investor view). */
export function setResultsVisible(visible) {
  resultsVisible = visible;
  applyResultsVisibility();
}

function applyResultsVisibility() {
  for (const id of ['results-fill', 'results-line', 'results-hover']) {
    map.setLayoutProperty(id, 'visibility', resultsVisible ? 'visible' : 'none');
  }
  const dim = resultsVisible && resultKeys;
  map.setPaintProperty('parcels-fill', 'fill-opacity',
    dim ? ['case', ['in', ['id'], ['literal', resultKeys]], 0.85, 0.25] : 0.7);
}

export function hoverResult(key) {
  map.setFilter('results-hover', ['==', ['get', 'key'], key ?? '']);
}

/** Polygons with a label point each (a polygon's own label would repeat in every internal tile it crosses). */
function withLabelPoints(features) {
  if (!features) return EMPTY;
  const points = features.filter((f) => f.geometry).map((f) => ({
    type: 'Feature',
    properties: f.properties,
    geometry: { type: 'Point', coordinates: centroidOf(f.geometry) },
  }));
  return { type: 'FeatureCollection', features: [...features, ...points] };
}

export function showCandidates(features) {
  setData('candidates', withLabelPoints(features));
}

export function hoverCandidate(key) {
  map.setFilter('candidates-hover', ['all', ['!=', ['geometry-type'], 'Point'], ['==', ['get', 'key'], key ?? '']]);
}

export function showCarvePreview(features) {
  setData('carve-preview', withLabelPoints(features));
}

export function showIdleLand(collection) {
  setData('idle-land', collection);
}

export function showSelection(geometry) {
  setData('selection', geometry ? { type: 'Feature', properties: {}, geometry } : EMPTY);
}

/** The layers a click can pick, top-most first. */
function clickableLayers() {
  return ['carve-preview-fill', 'candidates-fill', 'results-fill', 'idle-land-fill', 'units-hit', 'buildings-fill',
    'parcels-fill'].filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
}

/** Calls `handler(feature)` with the top-most clickable feature under a click. */
export function onFeatureClick(handler) {
  map.on('click', (e) => {
    const hits = map.queryRenderedFeatures(e.point, { layers: clickableLayers() });
    if (hits.length) handler(hits[0]);
  });
}

/** Tiles are cached by the browser for a minute: after a write, revalidate them and reload the source. */
export function refreshTiles() {
  revalidateTiles = true;
  const source = map.getSource(SOURCE);
  if (source?.tiles) source.setTiles([...source.tiles]);
}

/** Resolves after the next frame in which nothing is loading or moving. */
export async function whenIdle() {
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (map.isMoving()) await new Promise((resolve) => map.once('moveend', resolve));
  await new Promise((resolve) => {
    map.once('idle', resolve);
    map.triggerRepaint();
  });
}

export function resize() {
  map?.resize();
}
