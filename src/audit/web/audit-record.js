// One record told as a story: inputs, retrieved passages, model output, verification, cards
// (or, in silent mode, the cards that would have shown) and the clinicians' feedback.
(() => {
  const { el, ms, when } = window.CiteCareAudit;

  function pre(value) {
    return el('pre', { text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) });
  }

  function step(n, title, ...content) {
    return el('li', { className: 'step' }, el('h3', { text: `${n}. ${title}` }), content);
  }

  function kv(pairs) {
    return el(
      'dl',
      { className: 'kv' },
      pairs
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: String(v) })]),
    );
  }

  function cardView(card, feedbackByCard) {
    const ext = card.extension?.['org.citecare.finding'] || undefined;
    const finding = typeof ext === 'string' ? ext : ext && (ext.id || ext.findingId);
    const fb = card.uuid ? feedbackByCard.get(card.uuid) : undefined;
    return el(
      'article',
      { className: `card ${card.indicator || 'info'}` },
      el('p', { className: 'indicator', text: card.indicator || 'info' }),
      el('h4', { text: card.summary || '(no summary)' }),
      card.detail ? el('p', { className: 'card-detail', text: card.detail }) : null,
      kv([
        ['Finding', finding],
        ['Source', card.source?.label],
        [
          'Suggestions',
          Array.isArray(card.suggestions) ? card.suggestions.map((s) => s.label).join('; ') : undefined,
        ],
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
      el('strong', { text: f.outcome }),
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

  /** Returns the nodes that show one record with its feedback. */
  function renderRecord(detail) {
    const r = detail.record;
    const llm = r.llm || {};
    const feedbackByCard = new Map();
    for (const f of detail.feedback) feedbackByCard.set(f.cardId, f);
    const findings = Array.isArray(r.findings) ? r.findings : [];
    const verification = llm.verification;
    const story = el(
      'ol',
      { className: 'story' },
      step(
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
        el('h4', { text: `FHIR resources used (${r.resources.length})` }),
        el(
          'ul',
          { className: 'resources' },
          r.resources.map((x) =>
            el('li', {
              text: `${x.ref}${x.versionId ? ` (version ${x.versionId})` : ''}${x.lastUpdated ? `, updated ${x.lastUpdated}` : ''}`,
            }),
          ),
        ),
        el('h4', { text: 'Scores' }),
        pre(r.scores),
        el('h4', { text: `Findings (${findings.length})` }),
        el(
          'ul',
          {},
          findings.map((f) => el('li', { text: [f.id, f.severity, f.summary].filter(Boolean).join(' · ') })),
        ),
        r.triage ? [el('h4', { text: 'Triage' }), pre(r.triage)] : null,
      ),
      step(
        2,
        'Retrieved guideline passages',
        kv([['Corpus version', r.retrieval.corpusVersion]]),
        r.retrieval.chunkIds.length
          ? el(
              'ul',
              {},
              r.retrieval.chunkIds.map((c) => el('li', { text: c })),
            )
          : el('p', { text: 'No passages were retrieved.' }),
      ),
      step(
        3,
        'Model output',
        r.llm
          ? [
              kv([
                ['Status', llm.status],
                ['Provider', llm.provider],
                ['Model', llm.model],
                ['Parameters', llm.parameters ? JSON.stringify(llm.parameters) : undefined],
                [
                  'Prompt',
                  llm.prompt
                    ? `${llm.prompt.id} v${llm.prompt.version} (sha256 ${llm.prompt.sha256})`
                    : undefined,
                ],
                [
                  'Tokens',
                  llm.usage ? `${llm.usage.promptTokens} in, ${llm.usage.completionTokens} out` : undefined,
                ],
                ['From cache', llm.cached ? 'yes' : undefined],
                ['Error', llm.error],
                ['Fallback to deterministic cards', r.fallback ? 'yes' : 'no'],
              ]),
              llm.rawOutput ? [el('h4', { text: 'Raw model output' }), pre(llm.rawOutput)] : null,
              llm.parsed !== undefined
                ? el('details', {}, el('summary', { text: 'Parsed output' }), pre(llm.parsed))
                : null,
            ]
          : el('p', { text: 'No model was used (deterministic mode).' }),
      ),
      step(
        4,
        'Verification',
        verification
          ? [
              el('p', {
                text: `${verification.kept} statement(s) kept, ${verification.dropped.length} dropped.`,
              }),
              verification.dropped.length
                ? el(
                    'ul',
                    { className: 'dropped' },
                    verification.dropped.map((d) =>
                      el('li', {}, el('q', { text: d.text }), ` dropped: ${d.reason}`),
                    ),
                  )
                : null,
            ]
          : el('p', { text: 'No model statements to verify.' }),
      ),
      step(
        5,
        r.silent ? 'Cards (silent mode: would have shown)' : 'Cards returned',
        r.silent
          ? el('p', {
              className: 'silent-note',
              text: 'Silent mode: these cards were computed and recorded but not shown to the clinician. They would have shown:',
            })
          : null,
        r.cards.length
          ? el(
              'div',
              { className: 'cards' },
              r.cards.map((c) => cardView(c, feedbackByCard)),
            )
          : el('p', { text: 'No cards.' }),
      ),
      step(
        6,
        'Feedback',
        detail.feedback.length
          ? el('ul', { className: 'feedback' }, detail.feedback.map(feedbackView))
          : el('p', { text: r.silent ? 'None (the cards were not shown).' : 'No feedback received.' }),
      ),
    );
    const chain = el(
      'details',
      { className: 'chain' },
      el('summary', { text: 'Timings, errors and chain position' }),
      kv([
        ...Object.entries(r.timings || {}).map(([k, v]) => [`Time: ${k}`, ms(v)]),
        ['Errors', r.errors.length ? r.errors.join('; ') : 'none'],
        ['Sequence', r.seq],
        ['Hash', r.hash],
        ['Previous hash', r.prevHash],
        ['Record id', r.id],
      ]),
    );
    return [story, chain];
  }

  Object.assign(window.CiteCareAudit, { renderRecord });
})();
