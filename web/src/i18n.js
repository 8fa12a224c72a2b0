// Languages of the page: UI strings, names of coded values, number and date formatting, and `<html lang>`.

import { messages } from './messages.js';

export const LANGS = ['zh', 'en'];
let current = 'zh';
const listeners = new Set();

/** `zh` or `en`: `?lang=` first, then the browser's language (zh if it starts with zh). */
export function initialLang(search = window.location.search) {
  const asked = new URLSearchParams(search).get('lang');
  if (LANGS.includes(asked)) return asked;
  const browser = (navigator.languages && navigator.languages[0]) || navigator.language || '';
  return browser.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function lang() {
  return current;
}

export function locale() {
  return current === 'zh' ? 'zh-CN' : 'en-GB';
}

export function hasKey(key) {
  return Object.hasOwn(messages[current], key);
}

/** The string for `key` with `{name}` placeholders filled; the key itself when it has no translation. */
export function t(key, params = {}) {
  const text = messages[current][key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (params[name] === undefined ? m : String(params[name])));
}

/** The name of a coded value (`code.availability.held`, …). */
export function codeName(kind, value) {
  if (value === null || value === undefined || value === '') return '—';
  const key = `code.${kind}.${value}`;
  // Land-use codes are national codes: an unnamed one is shown as the code itself.
  if (kind === 'land_use' && !hasKey(key)) return String(value);
  return t(key);
}

/** A record's name in the page's language (`name_zh` / `name_en`). */
export function placeName(props) {
  if (!props) return '';
  return (current === 'en' ? props.name_en || props.name_zh : props.name_zh || props.name_en) || props.name || '';
}

export function setLang(next) {
  if (!LANGS.includes(next)) return;
  current = next;
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  applyDom(document);
  listeners.forEach((fn) => fn(current));
}

export function onLangChange(fn) {
  listeners.add(fn);
}

/** Fills `data-i18n` texts and `data-i18n-attr="attr:key;attr:key"` attributes under `root`. */
export function applyDom(root) {
  root.querySelectorAll('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  root.querySelectorAll('[data-i18n-attr]').forEach((el) => {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr, t(key));
    }
  });
}

/** Keys present in one language and not the other. */
export function missingKeys() {
  const [a, b] = LANGS.map((l) => new Set(Object.keys(messages[l])));
  return [...[...a].filter((k) => !b.has(k)).map((k) => `en:${k}`), ...[...b].filter((k) => !a.has(k)).map((k) => `zh:${k}`)];
}

// --- formatting -----------------------------------------------------------------------------------------------------

const numberFormats = new Map();

function numberFormat(min, max) {
  const key = `${current}:${min}:${max}`;
  if (!numberFormats.has(key)) {
    numberFormats.set(key, new Intl.NumberFormat(locale(), { minimumFractionDigits: min, maximumFractionDigits: max }));
  }
  return numberFormats.get(key);
}

/** A number with at most `max` decimals (and at least `min`). */
export function fmtNum(value, max = 2, min = 0) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '—';
  return numberFormat(min, max).format(Number(value));
}

export const fmtMu = (v, max = 2) => (v == null ? '—' : t('unit.mu', { n: fmtNum(v, max) }));
export const fmtM2 = (v, max = 0) => (v == null ? '—' : t('unit.m2', { n: fmtNum(v, max) }));
export const fmtM = (v, max = 1) => (v == null ? '—' : t('unit.m', { n: fmtNum(v, max) }));
export const fmtDistance = (v) => (v == null ? '—' : v >= 1000 ? t('unit.km', { n: fmtNum(v / 1000, 1) }) : t('unit.m', { n: fmtNum(v, 0) }));
export const fmtKn = (v) => (v == null ? '—' : t('unit.kn_m2', { n: fmtNum(v, 1) }));
export const fmtKva = (v) => (v == null ? '—' : t('unit.kva', { n: fmtNum(v, 0) }));
export const fmtT = (v) => (v == null ? '—' : t('unit.t', { n: fmtNum(v, 1) }));
export const fmtPct = (v, max = 1) => (v == null ? '—' : t('unit.pct', { n: fmtNum(v * 100, max) }));
export const fmtRent = (v) => (v == null ? '—' : t('unit.rent', { n: fmtNum(v, 2) }));

/** 万元 in Chinese; millions of yuan in English (1 million yuan = 100 万元). */
export function fmtWan(v) {
  if (v == null) return '—';
  return current === 'zh' ? t('unit.wan', { n: fmtNum(v, 2) }) : t('unit.wan', { n: fmtNum(v / 100, 3) });
}

/** 亿元 in Chinese; billions of yuan in English (1 billion yuan = 10 亿元). */
export function fmtYi(v) {
  if (v == null) return '—';
  return current === 'zh' ? t('unit.yi', { n: fmtNum(v, 4) }) : t('unit.yi', { n: fmtNum(v / 10, 5) });
}

/** 万元/亩 in Chinese; yuan per mu in English. */
export function fmtWanPerMu(v) {
  if (v == null) return '—';
  return current === 'zh' ? t('unit.wan_per_mu', { n: fmtNum(v, 2) }) : t('unit.wan_per_mu', { n: fmtNum(v * 10000, 0) });
}

export function fmtYuan(v) {
  return v == null ? '—' : t('unit.yuan', { n: fmtNum(v, 0) });
}

/** A `YYYY-MM-DD` day (or a timestamp) in the page's language. */
export function fmtDate(value) {
  if (!value) return '—';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(day.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(day);
}

export function fmtDateTime(value) {
  if (!value) return '—';
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(time) +
    ' UTC';
}

export function fmtBool(v) {
  return v == null ? '—' : t(v ? 'common.yes' : 'common.no');
}

/** Today in UTC as `YYYY-MM-DD` (the server's default day). */
export function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}
