// The page's live regions: progress and results (polite), and the server's error messages (assertive).

import { t, hasKey } from './i18n.js';

const status = () => document.getElementById('status');
const alertBox = () => document.querySelector('#alert .alert-body');

/** Tells the person what happened (screen readers read it out politely). */
export function announce(message) {
  status().textContent = message;
}

/** The heading of an error: what kind of refusal it was, in the page's language. */
export function errorTitle(error) {
  if (!error.status) return t('error.network');
  const key = `error.http.${error.status}`;
  return hasKey(key) ? t(key) : t('error.http', { status: error.status });
}

/** The text to show for an error: the server's `detail`, or what the browser said. */
export function errorText(error) {
  return error.detail || error.message || errorTitle(error);
}

/** Shows a server problem (its `detail`) or any other error in the alert region. */
export function showError(error) {
  const box = alertBox();
  box.querySelector('.alert-title').textContent = `${errorTitle(error)}:`;
  box.querySelector('.alert-detail').textContent = errorText(error);
  box.hidden = false;
}

export function clearError() {
  alertBox().hidden = true;
}

export function initStatus() {
  document.querySelector('#alert .alert-close').addEventListener('click', clearError);
}
