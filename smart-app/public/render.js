// Draws an assessment into the page. Data only ever enters the DOM as text (textContent), never as
// HTML, so nothing from the record or the model can inject markup.
import { resourceHref } from './api-client.js';
import { trendChart } from './charts.js';
import { byId as $, el } from './web-common/dom.js';

const formatTime = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
};

/**
 * A link to a source resource (`Type/id`), read through the server with the session's token. The page
 * shows it in a dialog: inside an EHR iframe a new tab would not carry the (partitioned) session cookie.
 */
function refLink(ref) {
  return el('a', { href: resourceHref(ref), class: 'ref', 'data-ref': ref }, ref);
}

function refList(refs) {
  if (!refs?.length) return null;
  const span = el('span', { class: 'refs' }, 'Sources: ');
  refs.forEach((r, i) => {
    if (i > 0) span.append(', ');
    span.append(refLink(r));
  });
  return span;
}

export function renderBanner(ctx) {
  const banner = $('banner');
  if (ctx.needPatientBanner === false) {
    banner.hidden = true;
    return;
  }
  if (!ctx.patient) {
    $('patient-name').textContent = `Patient ${ctx.patientId}`;
    $('patient-details').textContent = ctx.patientError ?? '';
    banner.hidden = false;
    return;
  }
  const p = ctx.patient;
  $('patient-name').textContent = p.name;
  const age = p.ageYears === null ? 'age unknown' : `${p.ageYears} y`;
  $('patient-details').textContent = `${age}, ${p.sex}${p.birthDate ? `, born ${p.birthDate}` : ''}`;
  $('server-mode').textContent = ctx.mode === 'open' ? 'development server (no SMART sign-in)' : '';
  banner.hidden = false;
}

function renderTriage(view) {
  const t = view.triage;
  $('triage-level').textContent = `Level ${t.level}`;
  $('triage-basis').textContent = t.basis === 'floor' ? '(safety rules)' : `(${t.basis})`;
  const floor =
    t.floorLevel === null ? 'no safety rule applies' : `safety rules require at least level ${t.floorLevel}`;
  const model = t.modelLevel ? `the model suggested level ${t.modelLevel}` : 'no model suggestion';
  $('triage-compare').textContent = `Floor versus model: ${floor}; ${model}.`;
  $('advice-mode').textContent =
    t.adviceStatus === 'disabled'
      ? 'Deterministic mode, no model used.'
      : t.adviceStatus === 'ok'
        ? `Model: ${t.adviceLabel}.`
        : `The model did not contribute (${t.adviceStatus}); the suggestion comes from the safety rules.`;
  const reasons = $('triage-reasons');
  reasons.replaceChildren(
    ...(t.reasons.length ? t.reasons : ['No danger sign found in the available data.']).map((r) =>
      el('li', {}, r),
    ),
  );
  const ev = refList(t.evidence);
  if (ev) reasons.append(el('li', { class: 'muted' }, ev));
  const missing = $('triage-missing');
  missing.hidden = view.missing.length === 0;
  missing.textContent = view.missing.length ? `Not available: ${view.missing.join('; ')}.` : '';
  $('triage').hidden = false;
}

function renderVitals(view) {
  const list = $('vital-list');
  list.replaceChildren();
  for (const v of view.vitals) {
    const latest = v.latest;
    const danger = latest?.danger;
    const value = latest ? `${latest.display} ${v.unit}`.trim() : 'no current reading';
    const item = el(
      'li',
      { class: danger ? 'vital danger' : 'vital', 'data-kind': v.kind },
      el('span', { class: 'vital-label' }, v.label),
      el('span', { class: 'vital-value' }, value),
      danger ? el('span', { class: 'danger-badge' }, `Danger zone: ${danger}`) : null,
      // Consciousness is a letter, not a number: no trend line for it.
      v.kind === 'avpu' ? null : trendChart(v.label, v.unit, v.history),
      latest
        ? el('span', { class: 'vital-time muted' }, formatTime(latest.at), ' · ', refLink(latest.source))
        : null,
    );
    list.append(item);
  }
  if (view.vitals.length === 0) list.append(el('li', {}, 'No vital signs were found for this patient.'));
  $('vitals').hidden = false;
}

function scoreBlock(name, score) {
  const block = el('div', { class: 'score', 'data-score': name.toLowerCase() });
  if (score.total === null) {
    block.append(el('h3', {}, `${name}: not computed`), el('p', { class: 'muted' }, score.reason ?? ''));
    return block;
  }
  block.append(el('h3', {}, `${name}: ${score.total}${score.band ? ` (${score.band})` : ''}`));
  if (score.components.length) {
    const table = el(
      'table',
      {},
      el('caption', { class: 'visually-hidden' }, `${name} components`),
      el(
        'thead',
        {},
        el('tr', {}, el('th', { scope: 'col' }, 'Component'), el('th', { scope: 'col' }, 'Points')),
      ),
    );
    const body = el('tbody');
    for (const c of score.components) {
      body.append(
        el(
          'tr',
          { class: c.points >= 3 ? 'high' : '' },
          el('td', {}, c.label),
          el('td', {}, String(c.points)),
        ),
      );
    }
    table.append(body);
    block.append(table);
  }
  const refs = refList(score.evidence);
  if (refs) block.append(el('p', { class: 'muted' }, refs));
  return block;
}

function renderScores(view) {
  $('score-list').replaceChildren(
    scoreBlock('NEWS2', view.scores.news2),
    scoreBlock('qSOFA', view.scores.qsofa),
  );
  $('scores').hidden = false;
}

function renderSummary(view) {
  const statements = $('summary-statements');
  statements.replaceChildren(
    ...view.summary.statements.map((s) =>
      el(
        'li',
        {},
        el('span', { class: `source-tag ${s.source}` }, s.source === 'model' ? 'model, verified' : 'rule'),
        ' ',
        s.text,
        ' ',
        refList(s.evidence),
      ),
    ),
  );
  if (view.summary.statements.length === 0) statements.append(el('li', {}, 'No findings from the rules.'));
  const facts = $('summary-facts');
  facts.replaceChildren(
    ...view.summary.facts.map((f) =>
      el('li', {}, el('strong', {}, `${f.kind}: `), f.text, ' (', refLink(f.source), ')'),
    ),
  );
  if (view.summary.facts.length === 0)
    facts.append(el('li', {}, 'No active conditions, medications or allergies found.'));
  $('summary').hidden = false;
}

function renderPassages(view) {
  const list = $('passage-list');
  list.replaceChildren(
    ...view.passages.map((p) =>
      el(
        'details',
        { class: 'passage', 'data-chunk': p.chunkId },
        el('summary', {}, `${p.title}: ${p.section}`),
        el('p', { class: 'muted' }, `${p.issuer}, ${p.year}`),
        el('blockquote', {}, p.quote),
        el(
          'p',
          {},
          el('a', { href: p.url, target: '_blank', rel: 'noopener noreferrer' }, 'Open the guideline'),
        ),
      ),
    ),
  );
  if (view.passages.length === 0) list.append(el('p', {}, 'No guideline passage was retrieved.'));
  $('guidelines').hidden = false;
}

export function renderAssessment(view) {
  renderTriage(view);
  renderVitals(view);
  renderScores(view);
  renderSummary(view);
  renderPassages(view);
  $('accept-btn').textContent = `Accept level ${view.triage.level}`;
  $('decision').hidden = false;
}
