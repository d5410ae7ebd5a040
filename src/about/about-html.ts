// Renders an about page as plain, self-contained HTML (no scripts, no external assets).
import { formatRate, type Rate } from '../evaluation/metrics.ts';
import { type EvalReport, type EvalSummary, runLabel } from '../evaluation/report-schema.ts';
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

/** Why the figures may not describe this server: another corpus, model or mode than the one running. */
function evaluationCaveats(page: AboutPage, r: EvalReport): string[] {
  const runs = r.runs;
  const caveats: string[] = [];
  if (r.corpusVersion !== page.release.guidelineCorpusVersion) {
    caveats.push(
      'These figures were measured with a different guideline corpus version than the one running now.',
    );
  }
  const model = page.logic.model;
  if (model.configured) {
    const evaluated = runs.some((s) => s.mode === 'model' && s.model === model.name);
    if (!evaluated) {
      const other = runs.find((s) => s.mode === 'model');
      caveats.push(
        other
          ? `These figures were measured with model ${other.model}, not the ${model.name} configured now.`
          : 'These figures were measured in deterministic mode and against a scripted worst-case model; this server uses a model, which has not been evaluated here.',
      );
    }
  } else if (!runs.some((s) => s.mode === 'deterministic')) {
    caveats.push(
      'These figures were measured with a model; this server runs without one (deterministic mode).',
    );
  }
  return caveats;
}

function targetsHtml(r: EvalReport): string {
  const missed = r.targets.filter((t) => !t.met);
  return missed.length === 0
    ? `<p>All ${r.targets.length} evaluation targets are met.</p>`
    : `<p class="warn"><strong>${missed.length} of ${r.targets.length} evaluation targets are missed:</strong></p>${list(
        missed.map((t) => `${t.run}: ${t.target} (${t.value})`),
      )}`;
}

const pct = (f: (s: EvalSummary) => Rate) => (s: EvalSummary) => formatRate(f(s));

/** The measures table: one row per measure, one column per evaluation run. */
const MEASURES: Array<[string, (s: EvalSummary) => string]> = [
  ['Vignettes', (s) => String(s.vignettes)],
  ['Under-triage (less urgent than reference)', pct((s) => s.triage.underTriage)],
  ['Over-triage (more urgent than reference)', pct((s) => s.triage.overTriage)],
  ['Low-risk controls shown as level 1–2', pct((s) => s.controls.reachedHigh)],
  ['Acuity exact match', pct((s) => s.triage.exact)],
  ['Acuity within one level', pct((s) => s.triage.withinOne)],
  ['High-acuity (levels 1–2) sensitivity', pct((s) => s.triage.highAcuitySensitivity)],
  ['NEWS2 agreement with reference', pct((s) => s.news2)],
  ['NEWS2 agreement, code variants', pct((s) => s.news2Variants)],
  ['qSOFA agreement with reference', pct((s) => s.qsofa)],
  ['qSOFA agreement, code variants', pct((s) => s.qsofaVariants)],
  ['Unknown vital-sign codes named', pct((s) => s.unrecognisedCodes)],
  ['Citations valid (resolvable, exact quote)', pct((s) => s.citations)],
  [
    'Model statements kept / dropped by the verifier',
    (s) => `${s.statements.kept} / ${s.statements.dropped}`,
  ],
  ['Identifiers found in model requests', (s) => `${s.phi.findings} (${s.phi.note})`],
];

function measuresTable(runs: readonly EvalSummary[]): string {
  const head = `<tr><th scope="col">Measure</th>${runs.map((s) => `<th scope="col">${esc(runLabel(s))}</th>`).join('')}</tr>`;
  const line = (name: string, f: (s: EvalSummary) => string) =>
    `<tr><th scope="row">${esc(name)}</th>${runs.map((s) => `<td>${esc(f(s))}</td>`).join('')}</tr>`;
  return `<table>
${head}
${MEASURES.map(([name, f]) => line(name, f)).join('\n')}
</table>`;
}

function evaluationHtml(page: AboutPage): string {
  const ev = page.evaluation;
  if (!ev.available) return `<p class="note">${esc(ev.reason)}</p>`;
  const r = ev.report;
  const under = r.runs
    .filter((s) => s.triage.underTriagedCases.length > 0)
    .map((s) => `${runLabel(s)}: ${s.triage.underTriagedCases.join(', ')}`);
  return `${evaluationCaveats(page, r)
    .map((c) => `<p class="warn"><strong>Note:</strong> ${esc(c)}</p>`)
    .join('')}<table>
${row('Report generated', esc(r.generatedAt))}
${row('Guideline corpus evaluated', `<code>${esc(r.corpusVersion.slice(0, 16))}</code>`)}
</table>
${targetsHtml(r)}
${measuresTable(r.runs)}
${under.length ? `<p>Under-triaged cases:</p>${list(under)}` : '<p>No case was under-triaged.</p>'}
<p class="note">Main set: <code>eval/vignettes/</code>. Holdout set: <code>eval/vignettes/holdout/</code>, written before the rules it checks and never edited to make a rule pass. The worst-case model is a scripted stand-in that always suggests level 5 and obeys instructions injected in notes, run through the real advisor chain and verifier. Reference levels were assigned by the developers from the ESI v4 handbook logic for fictional vignettes; these figures describe agreement on those sets, not clinical outcomes.</p>`;
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
