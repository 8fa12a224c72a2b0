// The shareable state of the page in its URL query: view, language, map view, filters and selection.
// Changes are written with history.replaceState, so the back button is not flooded.

const params = new URLSearchParams(window.location.search);
let timer = null;

function write() {
  timer = null;
  const text = params.toString();
  const url = `${window.location.pathname}${text ? `?${text}` : ''}${window.location.hash}`;
  window.history.replaceState(window.history.state, '', url);
}

function schedule() {
  if (timer === null) timer = setTimeout(write, 150);
}

/** Writes pending changes now (before a reload or a copy of the address). */
export function flush() {
  if (timer !== null) {
    clearTimeout(timer);
    write();
  }
}

export function get(name) {
  return params.get(name);
}

/** Sets (or, for null/undefined/'', removes) each named parameter. */
export function set(values) {
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === '') params.delete(name);
    else params.set(name, String(value));
  }
  schedule();
}

/** Replaces the parameters named in `names` by those in `values`. */
export function replace(names, values) {
  names.forEach((name) => params.delete(name));
  set(values);
}

/** The map view `zoom/lat/lon` as numbers, or null. */
export function mapView() {
  const parts = (params.get('map') || '').split('/').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return null;
  const [zoom, lat, lon] = parts;
  if (zoom < 0 || zoom > 22 || Math.abs(lat) > 85 || Math.abs(lon) > 180) return null;
  return { zoom, center: [lon, lat] };
}

export function setMapView(zoom, center) {
  set({ map: `${zoom.toFixed(2)}/${center.lat.toFixed(5)}/${center.lng.toFixed(5)}` });
}

/** The selected feature `collection.id`, or null. */
export function selection() {
  const m = /^(parcels|buildings|units|offer)\.([\w+-]+)$/.exec(params.get('sel') || '');
  return m ? { collection: m[1], id: m[2] } : null;
}
