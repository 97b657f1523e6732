// Clicks through a built policyc site in Debian's Chromium, as a reader
// would: the language switcher, the archive, a version page, a comparison
// and a download. Prints one JSON result per step. Usage:
//   node clicks.js SITE_DIR
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
  const root = path.resolve(process.argv[2]);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const steps = [];
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const here = () => path.relative(root, decodeURIComponent(new URL(page.url()).pathname));
  try {
    await page.goto('file://' + path.join(root, 'index.html'));
    steps.push({ step: 'open', at: here(), lang: await page.getAttribute('html', 'lang') });
    await page.click('nav a[hreflang="zh-CN"]');
    steps.push({ step: 'switch language', at: here(), lang: await page.getAttribute('html', 'lang') });
    await page.click('nav a[hreflang="en"]');
    steps.push({ step: 'switch back', at: here(), lang: await page.getAttribute('html', 'lang') });
    await page.click('nav a[href$="archive.html"]');
    steps.push({ step: 'archive', at: here(), rows: await page.locator('tbody tr').count() });
    await page.click('tbody tr:nth-child(2) a');
    steps.push({ step: 'version', at: here(), heading: await page.textContent('h1') });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 5000 }).catch(() => null),
      page.click('a[href$="policy.en.pdf"]'),
    ]);
    steps.push({ step: 'download', at: here(), file: download ? download.suggestedFilename() : (page.url().endsWith('.pdf') ? path.basename(page.url()) : null) });
    await page.goto('file://' + path.join(root, 'v2', 'index.html'));
    await page.click('a[href*="compare/"]');
    steps.push({ step: 'compare', at: here(), heading: await page.textContent('h1'), ins: await page.locator('ins').count() });
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ steps, errors }, null, 2) + '\n');
}

main().catch((e) => { console.error(e); process.exit(2); });
