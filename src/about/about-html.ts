// Renders an about page as plain, self-contained HTML (no scripts, no external assets).
import { formatRate, type Rate } from '../demo/eval-metrics.ts';
import type { AboutPage, AboutServiceInfo } from './about-page.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const esc = (s: string | number): string => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const list = (items: readonly string[]) => `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
const section = (title: string, body: string) => `<section><h2>${esc(title)}</h2>${body}</section>`;
const row = (k: string, v: string) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`;

function shell(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:1.8rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #eee}
th{width:16rem;font-weight:600}code{background:#f3f3f3;padding:0 .2rem}.note{color:#555}
.warn{background:#fff4e0;border-left:4px solid #e69100;padding:.4rem .6rem}
</style></head><body>${body}</body></html>`;
}

function evaluationHtml(page: AboutPage): string {
  const ev = page.evaluation;
  if (!ev.available) return `<p class="note">${esc(ev.reason)}</p>`;
  const r = ev.report;
  const pct = (x: Rate) => esc(formatRate(x));
  const caveats: string[] = [];
  if (r.corpusVersion !== page.release.guidelineCorpusVersion) {
    caveats.push(
      'These figures were measured with a different guideline corpus version than the one running now.',
    );
  }
  if ((r.mode === 'model') !== page.logic.model.configured) {
    caveats.push(
      r.mode === 'model'
        ? 'These figures were measured with a model; this server runs without one (deterministic mode).'
        : 'These figures were measured in deterministic mode; this server uses a model, which has not been evaluated here.',
    );
  } else if (r.mode === 'model' && r.model !== page.logic.model.name) {
    caveats.push(
      `These figures were measured with model ${r.model}, not the ${page.logic.model.name} configured now.`,
    );
  }
  return `${caveats.map((c) => `<p class="warn"><strong>Note:</strong> ${esc(c)}</p>`).join('')}<table>
${row('Report generated', esc(r.generatedAt))}
${row('Mode', esc(r.mode === 'model' ? `model: ${r.model ?? 'configured model'}` : 'deterministic (no model)'))}
${row('Vignettes', esc(r.vignettes))}
${row('Acuity exact match', pct(r.triage.exact))}
${row('Acuity within one level', pct(r.triage.withinOne))}
${row('Under-triage (less urgent than reference)', pct(r.triage.underTriage))}
${row('Over-triage (more urgent than reference)', pct(r.triage.overTriage))}
${row('High-acuity (levels 1–2) sensitivity', pct(r.triage.highAcuitySensitivity))}
${row('NEWS2 agreement with reference', pct(r.news2))}
${row('qSOFA agreement with reference', pct(r.qsofa))}
${row('Citations valid (resolvable, exact quote)', pct(r.citations))}
${row('Model statements kept / dropped by the verifier', esc(`${r.statements.kept} / ${r.statements.dropped}`))}
${row('Identifiers found in model requests', esc(`${r.phi.findings} (${r.phi.note})`))}
${row('Guideline corpus evaluated', `<code>${esc(r.corpusVersion.slice(0, 16))}</code>`)}
</table>
<p class="note">Reference levels were assigned by the developers from the ESI v4 handbook logic for fictional vignettes; these figures describe agreement on that set, not clinical outcomes.</p>`;
}

export function renderAboutHtml(page: AboutPage): string {
  const m = page.logic.model;
  const body = `<h1>${esc(page.service.title)}</h1>
<p>CDS Hooks service <code>${esc(page.service.id)}</code> (hook <code>${esc(page.service.hook)}</code>). ${esc(page.service.description)}</p>
<p class="note">${page.regulatoryBasis.map(esc).join(' ')}</p>
${section(
  'Details and release',
  `<table>
${row('Developer', esc(page.developer))}
${row('Funding of the technical implementation', esc(page.funding))}
${row('Software version', esc(page.release.softwareVersion))}
${row('Guideline corpus version', `<code>${esc(page.release.guidelineCorpusVersion)}</code> (${esc(page.release.guidelinePassages)} passages)`)}
${page.release.drugTableVersion ? row('Drug table version (medication review)', `<code>${esc(page.release.drugTableVersion)}</code>`) : ''}
</table>`,
)}
${section(
  'Purpose',
  `<table>
${row('Intended use', esc(page.intendedUse))}
${row('Intended users', esc(page.intendedUsers.join(', ')))}
${row('Intended patient population', esc(page.intendedPopulation))}
${row('Decision-making role', esc(page.decisionRole))}
${row('Outputs', list(page.outputs))}
</table>`,
)}
${section(
  'Inputs used',
  `<table>${page.inputs.variables.map((v) => row(v.variable, `<strong>${v.used ? 'Yes' : 'No'}</strong>. ${esc(v.how)}`)).join('')}</table>
<p>FHIR data requested:</p><ul>${page.inputs.fhirData.map((d) => `<li><code>${esc(d.key)}</code>: <code>${esc(d.query)}</code></li>`).join('')}</ul>`,
)}
${section(
  'Logic and model',
  `<table>
${row('Rules', esc(page.logic.deterministic))}
${row('Guideline retrieval', esc(page.logic.retrieval))}
${row('Language model', m.configured ? esc(`${m.description} (provider ${m.provider}, model ${m.name}, temperature ${m.temperature})`) : esc(`None configured: ${m.description}.`))}
${row('Safeguards', list(page.logic.safeguards))}
</table>`,
)}
${section('Bibliographic sources', list(page.sources))}
${section('How to review a recommendation', `<p>${esc(page.reviewBasis)}</p>`)}
${section('Cautioned uses', list(page.cautionedUses))}
${section('Known limitations', list(page.limitations))}
${section('Latest evaluation', evaluationHtml(page))}
${section('Maintenance and updates', list(page.maintenance))}`;
  return shell(`About ${page.service.title}`, body);
}

export function renderAboutIndexHtml(services: readonly AboutServiceInfo[]): string {
  const items = services.map(
    (s) =>
      `<li><a href="/about/${encodeURIComponent(s.id)}">${esc(s.title)}</a> (<code>${esc(s.hook)}</code>)</li>`,
  );
  return shell(
    'About CiteCare services',
    `<h1>CiteCare decision support services</h1><ul>${items.join('')}</ul>`,
  );
}
