import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Observation } from '@medplum/fhirtypes';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../helpers/browser.ts';
import { startTestbed, type Testbed } from '../integration/smart-testbed.ts';

describe('SMART app in Chromium: EHR launch', () => {
  let tb: Testbed;
  let browser: Browser;
  before(async () => {
    tb = await startTestbed({
      listen: true,
      realRuntime: true,
      smart: { context: { patient: 'pt-ed-1', encounter: 'enc-ed-1', fhirUser: 'Practitioner/nurse-7' } },
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await tb?.close();
  });

  async function launch(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${tb.baseUrl}/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&launch=ehr-1`);
    await page.waitForSelector('#triage:not([hidden])');
    return page;
  }

  it('shows the patient, vitals with danger zones, scores, the suggestion and cited passages', async () => {
    const page = await launch();
    assert.equal(new URL(page.url()).pathname, '/smart/');
    assert.equal(await page.textContent('#patient-name'), 'Maria Lopez');
    assert.match((await page.textContent('#patient-details')) ?? '', /67 y, female/);
    assert.match((await page.textContent('#status')) ?? '', /Assessment ready: suggested level [12]/);
    assert.match((await page.textContent('#advice-mode')) ?? '', /Deterministic mode, no model used/);
    assert.match(
      (await page.textContent('#triage-compare')) ?? '',
      /Floor versus model: safety rules require at least level [12]/,
    );
    const hr = page.locator('.vital[data-kind="heartRate"]');
    assert.match((await hr.getAttribute('class')) ?? '', /danger/);
    assert.match((await hr.textContent()) ?? '', /Danger zone: above 100\/min/);
    assert.equal(
      await hr.locator('svg.trend rect.trend-danger').count(),
      2,
      'two danger readings in the trend',
    );
    assert.match(
      (await hr.locator('svg title').textContent()) ?? '',
      /3 readings, from 96 \/min to 124 \/min/,
    );
    assert.match((await page.textContent('[data-score="news2"] h3')) ?? '', /NEWS2: 11/);
    assert.ok((await page.locator('[data-score="news2"] tbody tr').count()) >= 7);
    assert.ok((await page.locator('#passage-list details').count()) > 0);
    const first = page.locator('#passage-list details').first();
    await first.locator('summary').click();
    assert.equal(await first.getAttribute('open'), '');
    assert.ok(((await first.locator('blockquote').textContent()) ?? '').length > 20);
    assert.match((await first.locator('a').getAttribute('href')) ?? '', /^https:\/\//);
    // A source link opens the resource (read through the server) in a dialog; Escape closes it.
    await page.locator('.vital[data-kind="heartRate"] a.ref').click();
    await page.waitForFunction(() =>
      /"value": 124/.test(document.getElementById('resource-body')?.textContent ?? ''),
    );
    assert.equal(await page.textContent('#resource-title'), 'Observation/hr-3');
    await page.screenshot({ path: screenshotPath('smart-source-resource') });
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('#resource-dialog'), false);
    // The token stays on the server: the page cannot read the session cookie or see a token.
    assert.equal(await page.evaluate(() => document.cookie), '');
    const html = await page.content();
    for (const t of tb.smart.stats.issued) assert.ok(!html.includes(t));
    await page.screenshot({ path: screenshotPath('smart-ehr-launch-assessment'), fullPage: true });
    await page.close();
  });

  it('requires a reason to override, then writes the Observation and says so', async () => {
    const page = await launch();
    const before = tb.fhir.created.length;
    await page.selectOption('#override-level', '1');
    await page.click('#override-btn');
    assert.match((await page.textContent('#override-hint')) ?? '', /A reason is required/);
    assert.equal(await page.getAttribute('#override-reason', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'override-reason');
    assert.equal(tb.fhir.created.length, before);
    await page.screenshot({ path: screenshotPath('smart-override-needs-reason') });

    await page.fill('#override-reason', 'Airway at risk, needs resus bay');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      /Saved: level 1/.test(document.getElementById('decision-result')?.textContent ?? ''),
    );
    const stored = tb.fhir.created.at(-1) as Observation;
    assert.equal(stored.code?.coding?.[0]?.code, '11283-9');
    assert.equal(stored.valueCodeableConcept?.coding?.[0]?.system, 'urn:citecare:esi');
    assert.equal(stored.valueCodeableConcept?.coding?.[0]?.code, '1');
    assert.equal(stored.subject?.reference, 'Patient/pt-ed-1');
    assert.equal(stored.encounter?.reference, 'Encounter/enc-ed-1');
    assert.equal(stored.performer?.[0]?.reference, 'Practitioner/nurse-7');
    assert.match((await page.textContent('#decision-result')) ?? '', new RegExp(`Observation/${stored.id}`));
    await page.screenshot({ path: screenshotPath('smart-override-saved') });
    await page.close();
  });

  it('re-assesses when a chief complaint is entered (Enter key)', async () => {
    const page = await launch();
    await page.focus('#chief-complaint');
    await page.keyboard.type('fever and rigors since yesterday');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      /Assessment ready/.test(document.getElementById('status')?.textContent ?? ''),
    );
    const events = [];
    for await (const e of tb.runtime.audit.entries()) if (e.kind === 'record') events.push(e);
    assert.ok(events.length >= 2);
    await page.close();
  });

  it('shows a refused write plainly and sends the kept decision on retry', async () => {
    const page = await launch();
    tb.fhir.rejectWrites = { status: 403, diagnostics: 'Write access to Observation was not granted' };
    await page.click('#accept-btn');
    await page.waitForSelector('#error:not([hidden])');
    assert.match(
      (await page.textContent('#error')) ?? '',
      /HTTP 403\): Write access to Observation was not granted/,
    );
    assert.match(
      (await page.textContent('#decision-result')) ?? '',
      /Not yet saved: your decision to accept level/,
    );
    assert.equal(await page.isVisible('#retry-btn'), true);
    await page.screenshot({ path: screenshotPath('smart-write-refused') });
    tb.fhir.rejectWrites = undefined;
    const before = tb.fhir.created.length;
    await page.click('#retry-btn');
    await page.waitForFunction(() =>
      /Saved: level/.test(document.getElementById('decision-result')?.textContent ?? ''),
    );
    assert.equal(tb.fhir.created.length, before + 1);
    assert.equal(await page.isVisible('#retry-btn'), false);
    await page.close();
  });

  it('refreshes an expired token, and says "session expired, relaunch" when the refresh fails', async () => {
    const page = await launch();
    const refreshes = tb.smart.stats.refreshGrants;
    tb.smart.expireAccessTokens();
    await page.click('#assess-btn');
    await page.waitForFunction(() =>
      /Assessment ready/.test(document.getElementById('status')?.textContent ?? ''),
    );
    assert.equal(tb.smart.stats.refreshGrants, refreshes + 1);

    tb.smart.expireAccessTokens();
    tb.smart.failRefresh = true;
    try {
      await page.click('#accept-btn');
      await page.waitForSelector('#error:not([hidden])');
      assert.match((await page.textContent('#error')) ?? '', /Session expired, relaunch/);
      assert.match((await page.textContent('#decision-result')) ?? '', /It is kept and can be sent again/);
      await page.screenshot({ path: screenshotPath('smart-session-expired') });
    } finally {
      tb.smart.failRefresh = false;
    }
    await page.close();
  });

  it('refuses the wrong state and shows the token endpoint refusing a wrong PKCE verifier', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const res = await page.goto(`${tb.baseUrl}/smart/callback?code=abc&state=forged`);
    assert.equal(res?.status(), 400);
    assert.match((await page.textContent('#launch-error')) ?? '', /unknown or has expired/);
    await page.screenshot({ path: screenshotPath('smart-wrong-state') });

    tb.smart.corruptNextChallenge = true;
    const pkce = await page.goto(
      `${tb.baseUrl}/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&launch=ehr-2`,
    );
    assert.equal(pkce?.status(), 400);
    assert.match(
      (await page.textContent('#launch-error')) ?? '',
      /invalid_grant \(PKCE code_verifier does not match/,
    );
    await page.screenshot({ path: screenshotPath('smart-wrong-pkce') });

    const rogue = await page.goto(
      `${tb.baseUrl}/smart/launch?iss=${encodeURIComponent('http://127.0.0.1:9/fhir')}&launch=x`,
    );
    assert.equal(rogue?.status(), 400);
    assert.match((await page.textContent('#launch-error')) ?? '', /not on the list of servers allowed/);
    await page.close();
  });

  it('answers a state-changing call without the CSRF token with 403', async () => {
    const page = await launch();
    const status = await page.evaluate(async () => {
      const res = await fetch('/smart/api/decision', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-CiteCare-Session': new URLSearchParams(location.search).get('session') ?? '',
        },
        body: JSON.stringify({ action: 'accept', assessmentId: 'x' }),
      });
      return res.status;
    });
    assert.equal(status, 403);
    await page.close();
  });
});
