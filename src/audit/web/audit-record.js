// One record told as a story: inputs, retrieved passages, model output, verification, cards
// (or, in silent mode, the cards that would have shown) and the clinicians' feedback.
import { ms, when } from './audit-format.js';
import { el } from './web-common/dom.js';

const pre = (value) => el('pre', {}, typeof value === 'string' ? value : JSON.stringify(value, null, 2));

const step = (n, title, ...content) => el('li', { class: 'step' }, el('h3', {}, `${n}. ${title}`), content);

/** A definition list of the pairs that have a value. */
function kv(pairs) {
  return el(
    'dl',
    { class: 'kv' },
    pairs
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]),
  );
}

function cardView(card, feedbackByCard) {
  const ext = card.extension?.['org.citecare.finding'] || undefined;
  const finding = typeof ext === 'string' ? ext : ext && (ext.id || ext.findingId);
  const fb = card.uuid ? feedbackByCard.get(card.uuid) : undefined;
  const suggestions = Array.isArray(card.suggestions)
    ? card.suggestions.map((s) => s.label).join('; ')
    : undefined;
  return el(
    'article',
    { class: `card ${card.indicator || 'info'}` },
    el('p', { class: 'indicator' }, card.indicator || 'info'),
    el('h4', {}, card.summary || '(no summary)'),
    card.detail ? el('p', { class: 'card-detail' }, card.detail) : null,
    kv([
      ['Finding', finding],
      ['Source', card.source?.label],
      ['Suggestions', suggestions],
      ['Card id', card.uuid],
      ['Latest feedback', fb ? fb.outcome : undefined],
    ]),
  );
}

function feedbackView(f) {
  const reason = f.overrideReason ? f.overrideReason.display || f.overrideReason.code : undefined;
  return el(
    'li',
    {},
    el('strong', {}, f.outcome),
    ` · ${when(f.outcomeTimestamp)} · ${f.channel}`,
    kv([
      ['User', f.user],
      ['Card', f.cardId],
      ['Accepted suggestions', f.acceptedSuggestions?.join(', ')],
      ['Override reason', reason],
      ['Comment', f.userComment],
      ['Decision', f.decision ? JSON.stringify(f.decision) : undefined],
      ['Received', when(f.receivedAt)],
    ]),
  );
}

function inputsStep(r) {
  const findings = Array.isArray(r.findings) ? r.findings : [];
  const resource = (x) =>
    `${x.ref}${x.versionId ? ` (version ${x.versionId})` : ''}${x.lastUpdated ? `, updated ${x.lastUpdated}` : ''}`;
  return step(
    1,
    'Inputs',
    kv([
      ['Time', when(r.time)],
      ['Channel', r.channel],
      ['Service', r.service],
      ['Hook', r.hook],
      ['Hook instance', r.hookInstance],
      ['User', r.user],
      ['Patient', r.patient],
      ['Snapshot hash', r.snapshotHash],
    ]),
    el('h4', {}, `FHIR resources used (${r.resources.length})`),
    el(
      'ul',
      { class: 'resources' },
      r.resources.map((x) => el('li', {}, resource(x))),
    ),
    el('h4', {}, 'Scores'),
    pre(r.scores),
    el('h4', {}, `Findings (${findings.length})`),
    el(
      'ul',
      {},
      findings.map((f) => el('li', {}, [f.id, f.severity, f.summary].filter(Boolean).join(' · '))),
    ),
    r.triage ? [el('h4', {}, 'Triage'), pre(r.triage)] : null,
  );
}

function retrievalStep(r) {
  const ids = r.retrieval.chunkIds;
  return step(
    2,
    'Retrieved guideline passages',
    kv([['Corpus version', r.retrieval.corpusVersion]]),
    ids.length
      ? el(
          'ul',
          {},
          ids.map((c) => el('li', {}, c)),
        )
      : el('p', {}, 'No passages were retrieved.'),
  );
}

function modelFacts(r, llm) {
  return kv([
    ['Status', llm.status],
    ['Provider', llm.provider],
    ['Model', llm.model],
    ['Parameters', llm.parameters ? JSON.stringify(llm.parameters) : undefined],
    [
      'Prompt',
      llm.prompt ? `${llm.prompt.id} v${llm.prompt.version} (sha256 ${llm.prompt.sha256})` : undefined,
    ],
    ['Tokens', llm.usage ? `${llm.usage.promptTokens} in, ${llm.usage.completionTokens} out` : undefined],
    ['From cache', llm.cached ? 'yes' : undefined],
    ['Error', llm.error],
    ['Fallback to deterministic cards', r.fallback ? 'yes' : 'no'],
  ]);
}

function modelStep(r) {
  const llm = r.llm;
  if (!llm) return step(3, 'Model output', el('p', {}, 'No model was used (deterministic mode).'));
  return step(
    3,
    'Model output',
    modelFacts(r, llm),
    llm.rawOutput ? [el('h4', {}, 'Raw model output'), pre(llm.rawOutput)] : null,
    llm.parsed !== undefined ? el('details', {}, el('summary', {}, 'Parsed output'), pre(llm.parsed)) : null,
  );
}

function verificationStep(verification) {
  if (!verification) return step(4, 'Verification', el('p', {}, 'No model statements to verify.'));
  const { kept, dropped } = verification;
  return step(
    4,
    'Verification',
    el('p', {}, `${kept} statement(s) kept, ${dropped.length} dropped.`),
    dropped.length
      ? el(
          'ul',
          { class: 'dropped' },
          dropped.map((d) => el('li', {}, el('q', {}, d.text), ` dropped: ${d.reason}`)),
        )
      : null,
  );
}

function cardsStep(r, feedbackByCard) {
  return step(
    5,
    r.silent ? 'Cards (silent mode: would have shown)' : 'Cards returned',
    r.silent
      ? el(
          'p',
          { class: 'silent-note' },
          'Silent mode: these cards were computed and recorded but not shown to the clinician. They would have shown:',
        )
      : null,
    r.cards.length
      ? el(
          'div',
          { class: 'cards' },
          r.cards.map((c) => cardView(c, feedbackByCard)),
        )
      : el('p', {}, 'No cards.'),
  );
}

function feedbackStep(r, feedback) {
  return step(
    6,
    'Feedback',
    feedback.length
      ? el('ul', { class: 'feedback' }, feedback.map(feedbackView))
      : el('p', {}, r.silent ? 'None (the cards were not shown).' : 'No feedback received.'),
  );
}

function chainDetails(r) {
  return el(
    'details',
    { class: 'chain' },
    el('summary', {}, 'Timings, errors and chain position'),
    kv([
      ...Object.entries(r.timings || {}).map(([k, v]) => [`Time: ${k}`, ms(v)]),
      ['Errors', r.errors.length ? r.errors.join('; ') : 'none'],
      ['Sequence', r.seq],
      ['Hash', r.hash],
      ['Previous hash', r.prevHash],
      ['Record id', r.id],
    ]),
  );
}

/** Returns the nodes that show one record with its feedback. */
export function renderRecord(detail) {
  const r = detail.record;
  const feedbackByCard = new Map(detail.feedback.map((f) => [f.cardId, f]));
  const story = el(
    'ol',
    { class: 'story' },
    inputsStep(r),
    retrievalStep(r),
    modelStep(r),
    verificationStep(r.llm?.verification),
    cardsStep(r, feedbackByCard),
    feedbackStep(r, detail.feedback),
  );
  return [story, chainDetails(r)];
}
