// The drug table's version is on every /about page (JSON and HTML), next to the guideline corpus version.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { CDS_SERVICES } from '../../cds-hooks/index.ts';
import type { AboutPage } from '../../src/about/about-page.ts';
import { aboutPlugin } from '../../src/about/about-plugin.ts';
import { testConfig } from '../../src/config.ts';
import { loadDrugTable } from '../../src/knowledge/drug-table-file.ts';

describe('about pages and the drug table', () => {
  it('show the version of the drug table the medication review uses', async () => {
    const drugTable = await loadDrugTable();
    const app = Fastify();
    await app.register(aboutPlugin, {
      services: CDS_SERVICES,
      reportPath: '/nonexistent/eval-latest.json',
      runtime: {
        config: testConfig(),
        guidelines: { corpusVersion: 'f00dcafe'.repeat(8), size: 123 },
        advisor: { enabled: false, describe: () => 'no model used (deterministic mode)' },
        drugTable,
      },
    });
    try {
      const json = (await app.inject({ url: '/about/citecare-patient-view?format=json' })).json<AboutPage>();
      assert.equal(json.release.drugTableVersion, drugTable.version);
      const html = (await app.inject({ url: '/about/citecare-order-sign' })).body;
      assert.match(
        html,
        new RegExp(`Drug table version[^<]*</t[hd]>\\s*<td><code>${drugTable.version.replace(/\./g, '\\.')}`),
      );
    } finally {
      await app.close();
    }
  });
});
