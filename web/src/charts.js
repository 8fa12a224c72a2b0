// The dashboard's ECharts charts (loaded only when the dashboard is first shown).

import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { TitleComponent, TooltipComponent, GridComponent, LegendComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

import { t, codeName, placeName, fmtNum, fmtMu, fmtM2, fmtPct, fmtWan } from './i18n.js';

echarts.use([BarChart, PieChart, TitleComponent, TooltipComponent, GridComponent, LegendComponent, AriaComponent,
  CanvasRenderer]);

const AVAILABILITY = {
  available: '#2e9e4f', held: '#f0a202', supplied: '#2b6cb0', reserve: '#9aa0a6', planned: '#c4c8cc',
  reclaimed: '#d64545', retired: '#6b7280',
};
const STAGES = ['signed', 'space_secured', 'under_construction', 'completed', 'in_production', 'stalled', 'cancelled'];
const PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c',
  '#4b5563'];

const CHARTS = ['supply', 'availability', 'revitalized', 'occupancy', 'stages', 'industries'];
let instances = new Map();
let currentLang = null;

function title(text, sub) {
  return { text, subtext: sub || '', left: 'left', textStyle: { fontSize: 14, fontWeight: 600 }, subtextStyle: { fontSize: 11 } };
}

function base(text, sub) {
  return {
    aria: { enabled: true },
    title: title(text, sub),
    color: PALETTE,
    tooltip: { trigger: 'item', confine: true },
    animationDuration: 300,
  };
}

function barOption({ text, sub, names, values, formatter, horizontal = false, colours, highlight }) {
  const category = { type: 'category', data: names, axisLabel: { interval: 0, fontSize: 11, width: horizontal ? 110 : 70,
    overflow: 'truncate', rotate: horizontal ? 0 : names.length > 4 ? 30 : 0 } };
  const value = { type: 'value', axisLabel: { fontSize: 10, formatter: (v) => fmtNum(v, 0) } };
  return {
    ...base(text, sub),
    grid: { left: horizontal ? 120 : 50, right: 40, top: 52, bottom: horizontal ? 20 : 56 },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? { ...category, inverse: true } : value,
    tooltip: { trigger: 'item', confine: true, formatter: (p) => `${p.name}<br>${formatter(p.value, p.dataIndex)}` },
    series: [{
      type: 'bar',
      data: values.map((v, i) => ({
        value: v,
        itemStyle: {
          color: colours?.[i] || PALETTE[0],
          opacity: highlight == null || highlight === i ? 1 : 0.35,
        },
      })),
      label: { show: true, position: horizontal ? 'right' : 'top', fontSize: 10, formatter: (p) => fmtNum(p.value, 1) },
      barMaxWidth: 36,
    }],
  };
}

function pieOption({ text, sub, items, formatter }) {
  return {
    ...base(text, sub),
    legend: { type: 'scroll', orient: 'vertical', right: 4, top: 52, bottom: 8, textStyle: { fontSize: 11 },
      itemWidth: 12, itemHeight: 10 },
    tooltip: { trigger: 'item', confine: true, formatter: (p) => `${p.name}<br>${formatter(p.value)} (${fmtNum(p.percent, 1)}%)` },
    series: [{
      type: 'pie',
      radius: ['36%', '62%'],
      center: ['34%', '58%'],
      avoidLabelOverlap: true,
      label: { show: false },
      data: items,
    }],
  };
}

function entries(map) {
  return Object.entries(map || {});
}

function options({ stats, scope, scopeCode }) {
  const land = scope.land;
  const supply = entries(land.by_supply_method).sort((a, b) => b[1].stated_area_mu - a[1].stated_area_mu);
  const availability = entries(land.by_availability).filter(([k]) => k !== 'retired');
  const zones = stats.zones;
  const selectedZone = zones.findIndex((z) => z.code === scopeCode);
  const f = scope.factories;
  const stages = STAGES.map((s) => [s, scope.projects.by_stage?.[s]]).filter(([, v]) => v);
  const industries = entries(scope.projects.by_industry).sort((a, b) => b[1].count - a[1].count);

  return {
    supply: barOption({
      text: t('chart.supply'),
      sub: t('chart.unit_mu'),
      names: supply.map(([k]) => codeName('supply_method', k)),
      values: supply.map(([, v]) => v.stated_area_mu),
      horizontal: true,
      formatter: (v, i) => `${fmtMu(v, 3)} · ${t('chart.parcels', { n: supply[i][1].count })}`,
    }),
    availability: pieOption({
      text: t('chart.availability'),
      sub: t('chart.unit_mu'),
      items: availability.map(([k, v]) => ({ name: codeName('availability', k), value: v.stated_area_mu,
        itemStyle: { color: AVAILABILITY[k] } })),
      formatter: (v) => fmtMu(v, 3),
    }),
    revitalized: barOption({
      text: t('chart.revitalized'),
      sub: t('chart.revitalized_sub', { v: fmtMu(stats.park.land.revitalized.stated_area_mu, 3) }),
      names: zones.map((z) => placeName(z)),
      values: zones.map((z) => z.land.revitalized.stated_area_mu),
      colours: zones.map(() => '#16a34a'),
      horizontal: true,
      highlight: selectedZone >= 0 ? selectedZone : null,
      formatter: (v, i) => `${fmtMu(v, 3)} · ${t('chart.parcels', { n: zones[i].land.revitalized.count })}`,
    }),
    occupancy: pieOption({
      text: t('chart.occupancy'),
      sub: t('chart.occupancy_sub', { v: fmtPct(f.occupancy, 1), gfa: fmtM2(f.gross_floor_area_m2) }),
      items: [
        { name: t('chart.occupied'), value: f.occupied_area_m2, itemStyle: { color: '#2b6cb0' } },
        { name: t('chart.reserved'), value: f.reserved_area_m2, itemStyle: { color: '#f0a202' } },
        { name: t('chart.vacant'), value: f.vacant_area_m2, itemStyle: { color: '#2e9e4f' } },
      ],
      formatter: (v) => fmtM2(v),
    }),
    stages: barOption({
      text: t('chart.stages'),
      sub: t('chart.unit_projects'),
      names: stages.map(([k]) => codeName('stage', k)),
      values: stages.map(([, v]) => v.count),
      colours: stages.map((_, i) => PALETTE[i % PALETTE.length]),
      formatter: (v, i) => `${t('chart.projects', { n: v })} · ${fmtWan(stages[i][1].total_investment_wan)}`,
    }),
    industries: barOption({
      text: t('chart.industries'),
      sub: t('chart.unit_projects'),
      names: industries.map(([k]) => codeName('industry', k)),
      values: industries.map(([, v]) => v.count),
      horizontal: true,
      colours: industries.map(() => '#7c3aed'),
      formatter: (v, i) => `${t('chart.projects', { n: v })} · ${fmtWan(industries[i][1].total_investment_wan)}`,
    }),
  };
}

/** Draws (or updates) the charts in `container`. */
export function render(container, data) {
  if (currentLang !== data.lang) dispose();
  currentLang = data.lang;
  const all = options(data);
  for (const name of CHARTS) {
    let box = container.querySelector(`[data-chart="${name}"]`);
    if (!box) {
      box = document.createElement('div');
      box.className = 'chart';
      box.dataset.chart = name;
      box.dataset.testid = `chart-${name}`;
      container.append(box);
    }
    let chart = instances.get(name);
    if (!chart) {
      chart = echarts.init(box, null, { renderer: 'canvas', locale: data.lang === 'zh' ? 'ZH' : 'EN' });
      instances.set(name, chart);
    }
    chart.setOption(all[name], { notMerge: true });
  }
}

export function resize() {
  instances.forEach((chart) => chart.resize());
}

export function dispose() {
  instances.forEach((chart) => chart.dispose());
  instances = new Map();
}
