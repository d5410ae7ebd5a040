// CiteCare auditor page: token, filters, records table, metrics and actions. Plain browser
// JavaScript, no framework; helpers come from audit-dom.js, audit-charts.js and audit-record.js.
(() => {
  const base = document.body.dataset.base || '';
  const TOKEN_KEY = 'citecare-audit-token';
  const $ = (id) => document.getElementById(id);
  const { el, pct, ms, when, figure, acceptanceChart, reasonsChart, rateTable } = window.CiteCareAudit;
  let nextCursor;
  // Each refresh gets a number; answers to an older refresh are dropped so quick filter changes
  // never leave the table showing a previous filter's rows.
  let generation = 0;
  const stale = (g) => g !== generation;

  function setStatus(text, kind) {
    const s = $('status');
    s.textContent = text;
    s.className = kind || '';
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  async function api(path) {
    const t = token();
    if (!t) throw new Error('Paste an auditor token first.');
    const res = await fetch(`${base}/api${path}`, { headers: { authorization: `Bearer ${t}` } });
    if (res.status === 401)
      throw new Error('The token was not accepted (expired, or not from the auditor issuer).');
    if (res.status === 403) throw new Error('This token does not carry the auditor role.');
    if (!res.ok) throw new Error(`The server answered ${res.status}.`);
    return res;
  }

  function filterParams() {
    const form = $('filters');
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form).entries()) {
      const value = String(v).trim();
      if (!value) continue;
      if (k === 'from') p.set('from', `${value}T00:00:00Z`);
      else if (k === 'to') {
        // The date input is inclusive; the API's `to` is exclusive.
        const d = new Date(`${value}T00:00:00Z`);
        d.setUTCDate(d.getUTCDate() + 1);
        p.set('to', d.toISOString());
      } else p.set(k, value);
    }
    return p;
  }

  // ---- records table ----

  function outcomeText(r) {
    if (r.silent) return 'not shown (silent)';
    const parts = [];
    if (r.accepted) parts.push(`${r.accepted} accepted`);
    if (r.overridden) parts.push(`${r.overridden} overridden`);
    return parts.length ? parts.join(', ') : 'none';
  }

  function recordRow(r) {
    const open = el('button', { type: 'button', className: 'link', text: when(r.time) });
    open.addEventListener('click', () => showRecord(r.id));
    const flags = [];
    if (r.silent) flags.push(el('span', { className: 'tag silent', text: 'silent' }));
    if (r.fallback) flags.push(el('span', { className: 'tag fallback', text: 'fallback' }));
    if (r.errorCount) flags.push(el('span', { className: 'tag error', text: `${r.errorCount} error(s)` }));
    return el(
      'tr',
      { 'data-id': r.id },
      el('td', {}, open),
      el('td', { text: r.service }),
      el('td', { text: r.patient || '–' }),
      el('td', { text: r.user || '–' }),
      el('td', { text: r.model || (r.llmStatus === 'disabled' ? 'none' : '–') }),
      el('td', { text: r.cardCount }),
      el('td', { text: outcomeText(r) }),
      el('td', { text: ms(r.totalMs) }),
      el('td', {}, flags),
    );
  }

  async function loadRecords(append, g = generation) {
    const p = filterParams();
    p.set('limit', '50');
    if (append && nextCursor) p.set('cursor', nextCursor);
    const page = await (await api(`/records?${p}`)).json();
    if (stale(g)) return;
    const body = $('records').tBodies[0];
    if (!append) body.replaceChildren();
    for (const r of page.records) body.append(recordRow(r));
    nextCursor = page.nextCursor;
    $('more').hidden = !nextCursor;
    $('records-empty').hidden = body.rows.length > 0;
    return body.rows.length;
  }

  // ---- metrics and charts ----

  async function loadMetrics(g = generation) {
    const p = filterParams();
    p.delete('outcome');
    const m = await (await api(`/metrics?${p}`)).json();
    if (stale(g)) return;
    const accepted = m.byService.reduce((a, r) => a + r.accepted, 0);
    const overridden = m.byService.reduce((a, r) => a + r.overridden, 0);
    $('figures').replaceChildren(
      ...figure('Records', String(m.records)),
      ...figure('Silent-mode records', `${m.silentRecords} (${m.silentCards} cards would have shown)`),
      ...figure('Cards shown', String(m.cardsShown)),
      ...figure('Accepted', m.cardsShown ? pct(accepted / m.cardsShown) : '–'),
      ...figure('Overridden', m.cardsShown ? pct(overridden / m.cardsShown) : '–'),
      ...figure('Model fallback', `${pct(m.modelFallback.rate)} of ${m.modelFallback.records} model runs`),
      ...figure(
        'Latency p50 / p95 / p99',
        `${ms(m.latencyMs.p50)} / ${ms(m.latencyMs.p95)} / ${ms(m.latencyMs.p99)}`,
      ),
    );
    acceptanceChart($('chart-acceptance'), m.acceptanceOverTime);
    reasonsChart($('chart-reasons'), m.overrideReasons);
    $('rate-tables').replaceChildren(
      rateTable('Rates by service', 'Service', m.byService),
      rateTable('Rates by card type (finding)', 'Card type', m.byCardType),
    );
  }

  // ---- record detail, told as a story ----

  async function showRecord(id) {
    let detail;
    try {
      detail = await (await api(`/records/${encodeURIComponent(id)}`)).json();
    } catch (err) {
      setStatus(err.message, 'error');
      return;
    }
    const r = detail.record;
    $('detail-body').replaceChildren(...window.CiteCareAudit.renderRecord(detail));
    $('detail-heading').textContent = `Record ${r.seq}: ${r.service}${r.silent ? ' (silent mode)' : ''}`;
    $('detail').hidden = false;
    $('detail-heading').focus();
  }

  // ---- actions ----

  async function refresh() {
    generation += 1;
    const g = generation;
    try {
      setStatus('Loading…');
      await loadRecords(false, g);
      await loadMetrics(g);
      if (stale(g)) return;
      setStatus(`Signed in. ${$('records').tBodies[0].rows.length} record(s) shown.`, 'ok');
    } catch (err) {
      if (!stale(g)) setStatus(err.message, 'error');
    }
  }

  async function verify() {
    const out = $('verify-result');
    try {
      const v = await (await api('/verify')).json();
      out.className = v.ok ? 'ok' : 'error';
      out.textContent = v.ok
        ? `Chain intact: ${v.entries} entries up to seq ${v.head.seq}${v.anchor ? ` (starting after purged seq ${v.anchor.seq})` : ''}.`
        : `Chain broken at seq ${v.broken.seq} (${v.broken.id || 'missing entry'}): ${v.broken.reason}.`;
    } catch (err) {
      out.className = 'error';
      out.textContent = err.message;
    }
  }

  async function download(format) {
    try {
      const res = await api(`/export?format=${format}`);
      const blob = await res.blob();
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

  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const t = $('token')
      .value.trim()
      .replace(/^Bearer\s+/i, '');
    if (!t) return;
    sessionStorage.setItem(TOKEN_KEY, t);
    $('token').value = '';
    refresh();
  });
  $('forget-token').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    $('records').tBodies[0].replaceChildren();
    $('detail').hidden = true;
    setStatus('Token forgotten.');
  });
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    refresh();
  });
  $('filters').addEventListener('reset', () => setTimeout(refresh, 0));
  $('more').addEventListener('click', () =>
    loadRecords(true).catch((err) => setStatus(err.message, 'error')),
  );
  $('verify').addEventListener('click', verify);
  $('export-ndjson').addEventListener('click', () => download('ndjson'));
  $('export-fhir').addEventListener('click', () => download('fhir'));

  if (token()) refresh();
  else setStatus('Paste an auditor token to begin.');
})();
