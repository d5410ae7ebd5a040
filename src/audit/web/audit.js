// CiteCare auditor page: token, filters, records table, metrics and actions. Plain browser
// JavaScript modules, no framework, no build.
import { forgetToken, getBlob, getJson, saveToken, token } from './audit-api.js';
import { fillYesNoChoices } from './audit-filters.js';
import { loadMetrics } from './audit-metrics.js';
import { renderRecord } from './audit-record.js';
import { loadRecords, recordsBody } from './audit-records.js';
import { byId as $, el } from './web-common/dom.js';

// Each refresh gets a number; answers to an older refresh are dropped so quick filter changes
// never leave the table showing a previous filter's rows.
let generation = 0;
const currentCheck = () => {
  const g = generation;
  return () => g === generation;
};

function setStatus(text, kind) {
  const s = $('status');
  s.textContent = text;
  s.className = kind || '';
}

async function showRecord(id) {
  let detail;
  try {
    detail = await getJson(`/records/${encodeURIComponent(id)}`);
  } catch (err) {
    setStatus(err.message, 'error');
    return;
  }
  const r = detail.record;
  $('detail-body').replaceChildren(...renderRecord(detail));
  $('detail-heading').textContent = `Record ${r.seq}: ${r.service}${r.silent ? ' (silent mode)' : ''}`;
  $('detail').hidden = false;
  $('detail-heading').focus();
}

async function refresh() {
  generation += 1;
  const isCurrent = currentCheck();
  try {
    setStatus('Loading…');
    await loadRecords(false, isCurrent, showRecord);
    await loadMetrics(isCurrent);
    if (!isCurrent()) return;
    setStatus(`Signed in. ${recordsBody().rows.length} record(s) shown.`, 'ok');
  } catch (err) {
    if (isCurrent()) setStatus(err.message, 'error');
  }
}

function verificationText(v) {
  if (v.ok) {
    const anchor = v.anchor ? ` (starting after purged seq ${v.anchor.seq})` : '';
    return `Chain intact: ${v.entries} entries up to seq ${v.head.seq}${anchor}.`;
  }
  return `Chain broken at seq ${v.broken.seq} (${v.broken.id || 'missing entry'}): ${v.broken.reason}.`;
}

async function verify() {
  const out = $('verify-result');
  try {
    const v = await getJson('/verify');
    out.className = v.ok ? 'ok' : 'error';
    out.textContent = verificationText(v);
  } catch (err) {
    out.className = 'error';
    out.textContent = err.message;
  }
}

async function download(format) {
  try {
    const blob = await getBlob(`/export?format=${format}`);
    const a = el('a', {
      href: URL.createObjectURL(blob),
      download: `citecare-audit.${format === 'fhir' ? 'json' : 'ndjson'}`,
    });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  } catch (err) {
    setStatus(err.message, 'error');
  }
}

function wireToken() {
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const t = $('token')
      .value.trim()
      .replace(/^Bearer\s+/i, '');
    if (!t) return;
    saveToken(t);
    $('token').value = '';
    refresh();
  });
  $('forget-token').addEventListener('click', () => {
    forgetToken();
    recordsBody().replaceChildren();
    $('detail').hidden = true;
    setStatus('Token forgotten.');
  });
}

function wireActions() {
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    refresh();
  });
  $('filters').addEventListener('reset', () => setTimeout(refresh, 0));
  $('more').addEventListener('click', () =>
    loadRecords(true, currentCheck(), showRecord).catch((err) => setStatus(err.message, 'error')),
  );
  $('verify').addEventListener('click', verify);
  $('export-ndjson').addEventListener('click', () => download('ndjson'));
  $('export-fhir').addEventListener('click', () => download('fhir'));
}

fillYesNoChoices($('filters'));
wireToken();
wireActions();
if (token()) refresh();
else setStatus('Paste an auditor token to begin.');
