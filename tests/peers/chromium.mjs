// A real browser for the peer tests: Debian's Chromium driven by
// playwright-core. `node chromium.mjs AUTHORIZE_URL` logs in to
// oidc-provider's development pages, clicks through consent, waits for
// jira-spoke's loopback callback page, prints its heading and saves a
// screenshot to $SCREENSHOT.
import { chromium } from 'playwright-core';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(process.argv[2]);
  for (let step = 0; step < 4 && page.url().includes('/interaction/'); step += 1) {
    if (await page.locator('input[name="login"]').count()) {
      await page.fill('input[name="login"]', 'alice');
      await page.fill('input[name="password"]', 'any');
    }
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  }
  await page.waitForSelector('h1');
  console.log(`${page.url().split('?')[0]}: ${await page.textContent('h1')}`);
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT });
} finally {
  await browser.close();
}
