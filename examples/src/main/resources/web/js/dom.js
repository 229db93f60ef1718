// Small DOM helpers. Text is always set with textContent, never innerHTML, so names and
// message bodies can never inject markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an element. attrs: "class", "text" (textContent), "testid" (data-testid), "on*" listeners,
 * "dataset" (object), booleans as present/absent attributes, everything else as attributes.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'testid') el.setAttribute('data-testid', value);
    else if (key === 'dataset') Object.entries(value).forEach(([k, v]) => { if (v != null) el.dataset[k] = String(v); });
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Small inline icons (SVG presentation attributes only, no style attributes). */
const ICONS = {
  check: ['M4 12.5l5 5L20 6.5'],
  checks: ['M1.5 12.5l4.5 4.5L15.5 7', 'M10 16.5l.5.5L22 6.5'],
  clock: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M12 7v5l3 2'],
  clip: ['M20 11.5l-8 8a5 5 0 0 1-7-7l8.5-8.5a3.5 3.5 0 0 1 5 5L10 17.5a2 2 0 0 1-3-3l7.5-7.5'],
  alert: ['M12 3L2 21h20z', 'M12 10v5', 'M12 18v.5'],
  back: ['M15 5l-7 7l7 7'],
  file: ['M6 2h8l5 5v15H6z', 'M14 2v5h5'],
};

export function icon(name, label) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('class', 'icon icon-' + name);
  svg.setAttribute('focusable', 'false');
  if (label) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
  } else {
    svg.setAttribute('aria-hidden', 'true');
  }
  for (const d of ICONS[name] || []) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '2');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
    svg.append(path);
  }
  return svg;
}

export function $(id) {
  return document.getElementById(id);
}

export function show(el, visible) {
  el.hidden = !visible;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
});
const fullFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** Short time for a message or list entry: time only for today, else date and time. */
export function shortTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const now = new Date();
  return d.toDateString() === now.toDateString() ? timeFormat.format(d) : dateTimeFormat.format(d);
}

export function fullTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : fullFormat.format(d);
}

export function fileSize(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(n < 10240 ? 1 : 0) + ' KB';
  return (n / (1024 * 1024)).toFixed(1) + ' MB';
}

const ERROR_TIMEOUT_MS = 12000;
let errorTimer = null;

/** Shows an error in the assertive live region at the top of the page. */
export function showError(message) {
  const region = $('error-region');
  $('error-text').textContent = message;
  region.hidden = false;
  clearTimeout(errorTimer);
  errorTimer = setTimeout(clearError, ERROR_TIMEOUT_MS);
}

export function clearError() {
  clearTimeout(errorTimer);
  $('error-region').hidden = true;
  $('error-text').textContent = '';
}

/** Announces text politely to screen readers (new messages, status changes). */
export function announce(text) {
  const region = $('announcer');
  region.textContent = '';
  // A fresh text node after a tick makes screen readers announce repeated texts too.
  setTimeout(() => { region.textContent = text; }, 50);
}

/** A user-facing sentence for an error thrown by the API or socket layer. */
export function describeError(err, fallback) {
  if (err && typeof err.message === 'string' && err.message && err.userFacing) return err.message;
  if (err instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  return fallback || 'Something went wrong. Please try again.';
}

const signatures = new WeakMap();

/**
 * Updates a list in place, keyed: entries are { key, sig, build(): Element, fill(el) }. An element
 * is built once per key and refilled only when its signature changes, and nodes are moved only
 * when the order changes, so focus and references held by tests survive live updates.
 */
export function reconcile(list, cache, entries) {
  const ordered = [];
  const keep = new Set();
  for (const entry of entries) {
    let node = cache.get(entry.key);
    if (!node) {
      node = entry.build();
      cache.set(entry.key, node);
    }
    if (signatures.get(node) !== entry.sig) {
      entry.fill(node);
      signatures.set(node, entry.sig);
    }
    keep.add(entry.key);
    ordered.push(node);
  }
  for (const key of Array.from(cache.keys())) if (!keep.has(key)) cache.delete(key);
  let cursor = list.firstChild;
  for (const node of ordered) {
    if (node === cursor) cursor = cursor.nextSibling;
    else list.insertBefore(node, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}
