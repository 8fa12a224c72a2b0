// Starts the page: language, tabs, the map and the three views, and the hooks `window.landbank` offers tests.

import './style.css';

import { whenSettled } from './api.js';
import { t, lang, setLang, initialLang, onLangChange, codeName, placeName, missingKeys, applyDom } from './i18n.js';
import * as url from './url-state.js';
import * as mapApi from './map.js';
import * as investor from './investor.js';
import * as planner from './planner.js';
import * as dashboard from './dashboard.js';
import * as detail from './detail.js';
import { initStatus, showError, announce } from './status.js';
import { initTabs, currentView } from './tabs.js';

/** Coded choices of the forms' `<select data-options="…">`. */
const CHOICES = {
  class: ['I', 'II', 'III'],
  industry: ['textile', 'garment', 'small_appliance', 'electronic_info', 'ev_charging', 'sodium_ion_battery',
    'new_energy_other', 'seafood_processing', 'spice_herbal', 'nut_processing', 'pharmaceutical', 'metal', 'logistics',
    'border_trade_processing', 'other'],
  supply_method: ['transfer_listing', 'transfer_auction', 'transfer_tender', 'transfer_agreement', 'lease',
    'lease_then_transfer', 'capital_contribution'],
  fire_class: ['jia', 'yi', 'bing', 'ding', 'wu'],
};

function fillSelects() {
  document.querySelectorAll('select[data-options]').forEach((select) => {
    const kind = select.dataset.options;
    const value = select.value;
    select.replaceChildren(new Option(t('common.any'), ''));
    if (kind === 'zone') {
      for (const z of mapApi.zoneList().filter((item) => item.properties.country !== 'VN')) {
        select.add(new Option(`${placeName(z.properties)} (${z.properties.code})`, z.properties.code));
      }
    } else {
      for (const code of CHOICES[kind]) select.add(new Option(codeName(kind === 'class' ? 'class' : kind, code), code));
    }
    select.value = value;
  });
}

function renderLangSwitch() {
  const button = document.getElementById('lang-switch');
  const other = lang() === 'zh' ? 'en' : 'zh';
  button.textContent = other === 'en' ? 'English' : '中文';
  button.lang = other === 'en' ? 'en' : 'zh-CN';
  button.setAttribute('aria-label', t('lang.switch'));
  button.title = t('lang.switch');
}

function onViewChange(view) {
  document.getElementById('layout').dataset.view = view;
  investor.setActive(view === 'investor');
  planner.setActive(view === 'planner');
  dashboard.setActive(view === 'dashboard');
  if (view === 'dashboard') detail.closeDetail({ restoreFocus: false });
  requestAnimationFrame(() => mapApi.resize());
}

let resolveReady;
const ready = new Promise((resolve) => {
  resolveReady = resolve;
});

window.landbank = {
  map: null,
  ready,
  /** Resolves when no API request runs and the map has drawn everything it is loading. */
  async settled() {
    await ready;
    await whenSettled();
    await mapApi.whenIdle();
    await whenSettled();
  },
  missingKeys,
  lang,
  setLang,
  flushUrl: url.flush,
};

async function start() {
  setLang(initialLang());
  url.set({ lang: lang() });
  initStatus();
  renderLangSwitch();
  detail.initDetail();
  investor.initInvestor();
  planner.initPlanner();
  dashboard.initDashboard();

  document.getElementById('lang-switch').addEventListener('click', () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    url.set({ lang: lang() });
    announce(t('lang.changed'));
  });
  onLangChange(() => {
    renderLangSwitch();
    fillSelects();
    document.title = t('app.title');
  });

  try {
    const map = await mapApi.createMap(document.getElementById('map'));
    window.landbank.map = map;
  } catch (e) {
    showError(e);
    resolveReady();
    return;
  }
  fillSelects();
  applyDom(document);
  document.title = t('app.title');
  mapApi.onFeatureClick((feature) => {
    if (currentView() === 'investor' && investor.mapClicked(feature)) return;
    if (currentView() === 'planner' && planner.mapClicked(feature)) return;
    const layer = feature.layer.id;
    if (layer === 'units-hit') detail.openDetail({ collection: 'units', id: feature.id, fit: false });
    else if (layer === 'buildings-fill') detail.openDetail({ collection: 'buildings', id: feature.id, fit: false });
    else if (layer === 'parcels-fill' || layer === 'idle-land-fill') {
      detail.openDetail({ collection: 'parcels', id: feature.id, fit: false });
    }
  });

  initTabs(onViewChange, url.get('view'));
  await investor.restoreFromUrl();
  const selected = url.selection();
  if (selected) {
    if (selected.collection === 'offer' || (investor.hasResults() && selected.collection === 'parcels')) {
      investor.select(selected.id, { open: true, fit: !url.mapView() });
    }
    if (!detail.isOpen() && selected.collection !== 'offer') {
      detail.openDetail({ collection: selected.collection, id: selected.id, fit: !url.mapView() });
    }
  }
  resolveReady();
}

start();
