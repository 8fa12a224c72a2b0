// The view tabs (investor / planner / dashboard): WAI-ARIA tabs with roving focus, arrow keys, Home and End.

import * as url from './url-state.js';

let view = 'investor';
let changeHandler = () => {};

const tabs = () => [...document.querySelectorAll('#view-tabs [role="tab"]')];

export function currentView() {
  return view;
}

/** Shows the panel of `next` (`investor`, `planner` or `dashboard`). */
export function selectView(next, { focus = false } = {}) {
  const all = tabs();
  const target = all.find((tab) => tab.dataset.view === next) || all[0];
  for (const tab of all) {
    const on = tab === target;
    tab.setAttribute('aria-selected', on ? 'true' : 'false');
    tab.tabIndex = on ? 0 : -1;
    document.getElementById(tab.getAttribute('aria-controls')).hidden = !on;
  }
  if (focus) target.focus();
  view = target.dataset.view;
  url.set({ view: view === 'investor' ? null : view });
  changeHandler(view);
}

export function initTabs(onChange, initial) {
  changeHandler = onChange;
  const list = document.getElementById('view-tabs');
  list.addEventListener('click', (e) => {
    const tab = e.target.closest('[role="tab"]');
    if (tab) selectView(tab.dataset.view);
  });
  list.addEventListener('keydown', (e) => {
    const all = tabs();
    const index = all.indexOf(document.activeElement);
    if (index < 0) return;
    let next = null;
    if (e.key === 'ArrowRight') next = all[(index + 1) % all.length];
    else if (e.key === 'ArrowLeft') next = all[(index - 1 + all.length) % all.length];
    else if (e.key === 'Home') next = all[0];
    else if (e.key === 'End') next = all[all.length - 1];
    if (next) {
      e.preventDefault();
      selectView(next.dataset.view, { focus: true });
    }
  });
  selectView(['investor', 'planner', 'dashboard'].includes(initial) ? initial : 'investor');
}
