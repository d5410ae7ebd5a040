import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../helpers/browser.ts';
import { startTestbed, type Testbed } from '../integration/smart-testbed.ts';

describe('SMART app in Chromium: tabs, unsent decisions and sign-out', () => {
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

  async function open(page: Page, launch: string) {
    await page.goto(`${tb.baseUrl}/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&launch=${launch}`);
    await page.waitForSelector('#triage:not([hidden])');
  }

  it('keeps each tab on the patient it was launched for when the browser launches another patient', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const tabA = await context.newPage();
      await open(tabA, 'tab-a');
      tb.smart.context = { patient: 'pt-other', fhirUser: 'Practitioner/nurse-7' };
      const tabB = await context.newPage();
      await tabB.goto(`${tb.baseUrl}/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&launch=tab-b`);
      await tabB.waitForSelector('#patient-error:not([hidden]), #error:not([hidden]), #triage:not([hidden])');
      tb.smart.context = { patient: 'pt-ed-1', encounter: 'enc-ed-1', fhirUser: 'Practitioner/nurse-7' };
      // Tab A re-assesses: still its own patient, not the one launched last.
      await tabA.fill('#chief-complaint', 'chest pain');
      await tabA.press('#chief-complaint', 'Enter');
      await tabA.waitForFunction(() =>
        /Assessment ready/.test(document.getElementById('status')?.textContent ?? ''),
      );
      assert.equal(tb.smart.stats.tokenRequests.length >= 2, true);
      assert.equal(await tabA.textContent('#patient-name'), 'Maria Lopez');
    } finally {
      await context.close();
    }
  });

  it('blocks Accept and Override while a decision is unsent (Retry stays), and focuses the result after saving', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await open(page, 'pending');
    tb.fhir.rejectWrites = { status: 503, diagnostics: 'busy' };
    await page.click('#accept-btn');
    await page.waitForSelector('#retry-btn:not([hidden])');
    tb.fhir.rejectWrites = undefined;
    assert.equal(await page.isDisabled('#accept-btn'), true);
    assert.equal(await page.isDisabled('#override-btn'), true);
    assert.equal(await page.isDisabled('#retry-btn'), false);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'error');

    // A relaunch shows the unsent decision and keeps the buttons blocked.
    const again = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await open(again, 'pending-2');
    assert.match((await again.textContent('#decision-result')) ?? '', /Not yet saved/);
    assert.equal(await again.isDisabled('#accept-btn'), true);
    await again.screenshot({ path: screenshotPath('smart-pending-blocked') });
    await again.click('#retry-btn');
    await again.waitForFunction(() =>
      /Saved: level/.test(document.getElementById('decision-result')?.textContent ?? ''),
    );
    assert.equal(await again.evaluate(() => document.activeElement?.id), 'decision-result');
    assert.equal(await again.isDisabled('#accept-btn'), false);
    await page.close();
    await again.close();
  });

  it('signs out with a visible button; the page then refuses to act', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await open(page, 'signout');
    assert.equal(await page.isVisible('#signout-btn'), true);
    await page.click('#signout-btn');
    await page.waitForFunction(() => /Signed out/.test(document.getElementById('status')?.textContent ?? ''));
    assert.equal(await page.isDisabled('#accept-btn'), true);
    assert.equal(await page.isDisabled('#assess-btn'), true);
    const status = await page.evaluate(async () => {
      const res = await fetch('/smart/api/context', {
        headers: { 'X-CiteCare-Session': new URLSearchParams(location.search).get('session') ?? '' },
      });
      return res.status;
    });
    assert.equal(status, 401);
    await page.close();
  });
});
