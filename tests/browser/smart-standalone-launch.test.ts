import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../helpers/browser.ts';
import { startTestbed, type Testbed } from '../integration/smart-testbed.ts';

describe('SMART app in Chromium: standalone launch and side panel', () => {
  let tb: Testbed;
  let browser: Browser;
  before(async () => {
    tb = await startTestbed({ listen: true, realRuntime: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await tb?.close();
  });

  it('launches standalone against the configured server, asking the user to pick a patient', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${tb.baseUrl}/smart/launch`);
    await page.waitForSelector('#triage:not([hidden])');
    const authorize = tb.smart.stats.authorizeRequests.at(-1);
    assert.ok(authorize?.scope.split(' ').includes('launch/patient'));
    assert.equal(authorize?.launch, undefined);
    assert.equal(authorize?.aud, tb.fhir.url);
    assert.equal(await page.textContent('#patient-name'), 'Maria Lopez');
    await page.screenshot({ path: screenshotPath('smart-standalone-launch') });
    await page.close();
  });

  it('hides the banner when the EHR says need_patient_banner is false', async () => {
    tb.smart.context = { ...tb.smart.context, needPatientBanner: false };
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${tb.baseUrl}/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&launch=embedded`);
      await page.waitForSelector('#triage:not([hidden])');
      assert.equal(await page.isVisible('#banner'), false);
      await page.close();
    } finally {
      tb.smart.context = { ...tb.smart.context, needPatientBanner: undefined };
    }
  });

  it('is usable in a narrow EHR side panel with the keyboard alone', async () => {
    const page = await browser.newPage({ viewport: { width: 420, height: 800 } });
    await page.goto(`${tb.baseUrl}/smart/launch?iss=${encodeURIComponent(tb.fhir.url)}&launch=panel`);
    await page.waitForSelector('#triage:not([hidden])');
    // Nothing overflows sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the panel`);
    // Keyboard: skip link, then the complaint field, then Assess; focus is visible.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'chief-complaint');
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    assert.equal(outline, 'solid');
    // Every form control has a label.
    const unlabelled = await page.evaluate(
      () =>
        [...document.querySelectorAll('input, select, textarea')].filter(
          (e) => (e as HTMLInputElement).labels?.length === 0,
        ).length,
    );
    assert.equal(unlabelled, 0);
    assert.equal(await page.getAttribute('#status', 'aria-live'), 'polite');
    await page.screenshot({ path: screenshotPath('smart-side-panel'), fullPage: false });
    await page.close();
  });
});
