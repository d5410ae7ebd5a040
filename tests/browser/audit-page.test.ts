import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import type { AuditDatabase } from '../../src/audit/types.ts';
import { createAuditorVerifier } from '../../src/auth/auditor-auth.ts';
import { auditRoutes } from '../../src/server/audit-routes.ts';
import { registerSecurityHeaders } from '../../src/server/security-headers.ts';
import { launchBrowser, screenshotPath } from '../helpers/browser.ts';
import { createTestIdp } from '../integration/audit-auth-fixtures.ts';
import { makeFeedback, makeRecord } from '../integration/audit-store-fixtures.ts';

const REASONS = ['Not relevant', 'Already treated', 'Not relevant', 'Patient declined'];

async function seed(store: AuditDatabase) {
  for (let day = 1; day <= 6; day++) {
    for (let i = 0; i < 3; i++) {
      const n = day * 10 + i;
      const input = makeRecord({
        time: `2026-11-${String(10 + day).padStart(2, '0')}T0${i}:30:00Z`,
        service: i === 2 ? 'citecare-triage' : 'citecare-sepsis',
        patient: `Patient/p${n}`,
        timings: { total: 200 + n * 7 },
        fallback: n % 5 === 0,
      });
      await store.append(input);
      if (i === 0) await store.appendFeedback(makeFeedback(input.cardIds[0]));
      if (i === 1) {
        await store.appendFeedback(
          makeFeedback(input.cardIds[0], {
            outcome: 'overridden',
            acceptedSuggestions: undefined,
            overrideReason: { code: 'r', display: REASONS[day % REASONS.length] },
            userComment: 'seen by the team',
          }),
        );
      }
    }
  }
  await store.append(
    makeRecord({
      time: '2026-11-17T08:00:00Z',
      service: 'citecare-triage',
      patient: 'Patient/silent-1',
      silent: true,
      cards: [
        {
          uuid: 'silent-card-1',
          summary: 'Would flag raised NEWS2 for review',
          indicator: 'warning',
          source: { label: 'CiteCare' },
          extension: { 'org.citecare.finding': 'news2-high' },
        },
      ],
      cardIds: ['silent-card-1'],
    }),
  );
}

describe('auditor page in Chromium', () => {
  let app: FastifyInstance;
  let store: AuditDatabase;
  let browser: Browser;
  let page: Page;
  let base: string;
  let token: string;

  before(async () => {
    const idp = await createTestIdp();
    store = await openAuditStore('sqlite::memory:');
    await seed(store);
    app = Fastify();
    // The app's one header configuration (CSP included), as buildApp registers it.
    await registerSecurityHeaders(app, idp.config);
    await app.register(auditRoutes, {
      prefix: '/audit',
      store,
      verifyAuditor: createAuditorVerifier(idp.config, { jwks: idp.jwks }),
      config: idp.config,
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    token = await idp.token({ roles: ['auditor'], preferred_username: 'ann' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  it('asks for a token, then shows records, metrics and charts', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${base}/audit`);
    assert.match((await page.textContent('#status')) ?? '', /Paste an auditor token/);
    await page.getByLabel('Auditor bearer token').fill(token);
    await page.getByRole('button', { name: 'Use token' }).click();
    // The status turns to "Signed in" once both the table and the metrics have loaded.
    await page.waitForFunction(() => /Signed in/.test(document.querySelector('#status')?.textContent ?? ''));
    assert.equal(await page.locator('#records tbody tr').count(), 19);
    assert.equal((await page.evaluate(() => sessionStorage.getItem('citecare-audit-token'))) !== null, true);
    await page.waitForSelector('#chart-acceptance svg rect');
    assert.equal(
      await page.locator('#chart-acceptance svg g').count(),
      6,
      'one bar per day with shown cards',
    );
    assert.ok((await page.locator('#chart-reasons svg text').allTextContents()).includes('Not relevant'));
    assert.match((await page.textContent('#figures')) ?? '', /Latency p50/);
    await page.screenshot({ path: screenshotPath('audit-page-overview'), fullPage: true });
    assert.deepEqual(errors, []);
  });

  it('filters the table', async () => {
    await page.getByLabel('Service').fill('citecare-triage');
    await page.getByLabel('Feedback').selectOption('none');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#records tbody tr').length === 7);
    const services = await page.locator('#records tbody tr td:nth-child(2)').allTextContents();
    assert.deepEqual([...new Set(services)], ['citecare-triage']);
    await page.getByLabel('Silent mode').selectOption('true');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#records tbody tr').length === 1);
    assert.match((await page.textContent('#records tbody tr')) ?? '', /silent/);
  });

  it('tells a silent record’s story with the cards it would have shown, by keyboard', async () => {
    await page.locator('#records tbody tr button').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'detail-heading');
    const story = (await page.textContent('#detail')) ?? '';
    assert.match(story, /silent mode/i);
    assert.match(story, /would have shown/);
    assert.match(story, /Would flag raised NEWS2 for review/);
    for (const step of [
      '1. Inputs',
      '2. Retrieved guideline passages',
      '3. Model output',
      '4. Verification',
      '5. Cards',
      '6. Feedback',
    ]) {
      assert.ok(story.includes(step), step);
    }
    await page.screenshot({ path: screenshotPath('audit-page-silent-record'), fullPage: true });
  });

  it('shows an overridden record with its feedback and verifies the chain', async () => {
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#records tbody tr').length === 19);
    await page.getByLabel('Feedback').selectOption('overridden');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#records tbody tr').length === 6);
    await page.locator('#records tbody tr button').first().click();
    // The previous record's story is still on screen until the new one arrives: wait for this one's.
    await page.waitForFunction(() =>
      /Override reason/.test(document.querySelector('#detail')?.textContent ?? ''),
    );
    const story = (await page.textContent('#detail')) ?? '';
    assert.match(story, /overridden/);
    assert.match(story, /Override reason/);
    assert.match(story, /seen by the team/);
    assert.match(story, /1 dropped/);
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.waitForFunction(() =>
      /Chain intact/.test(document.querySelector('#verify-result')?.textContent ?? ''),
    );
    await page.screenshot({ path: screenshotPath('audit-page-record'), fullPage: true });
  });

  it('says so when the token is refused', async () => {
    const fresh = await browser.newPage();
    await fresh.goto(`${base}/audit`);
    await fresh.getByLabel('Auditor bearer token').fill('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.bm90LXZhbGlk');
    await fresh.getByRole('button', { name: 'Use token' }).click();
    await fresh.waitForFunction(() =>
      /not accepted/.test(document.querySelector('#status')?.textContent ?? ''),
    );
    assert.equal(await fresh.locator('#records tbody tr').count(), 0);
    await fresh.close();
  });
});
