// Loads HTML pages in Debian's Chromium and reports, as JSON on stdout, the
// console errors, failed requests to anywhere but file:, axe-core's WCAG 2
// A/AA violations of each page, and what overflows a 375 px wide screen
// (an element wider than the page, outside a container that scrolls). Usage:
//   node axe.js [--screenshots DIR] page.html...
'use strict';
const path = require('path');
const fs = require('fs');
const { chromium } = require('playwright-core');

async function main() {
  const args = process.argv.slice(2);
  let shots = '';
  if (args[0] === '--screenshots') { shots = args[1]; args.splice(0, 2); }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const axePath = require.resolve('axe-core');
  const results = [];
  try {
    for (const file of args) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const consoleErrors = [];
      const external = [];
      page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
      page.on('pageerror', (e) => consoleErrors.push(String(e)));
      page.on('request', (r) => { if (!r.url().startsWith('file:')) external.push(r.url()); });
      await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
      await page.addScriptTag({ path: axePath });
      const axe = await page.evaluate(async () => {
        const r = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      await page.setViewportSize({ width: 375, height: 800 });
      const overflow = await page.evaluate(() => {
        const out = [];
        for (const e of document.querySelectorAll('body *')) {
          if (e.getBoundingClientRect().right <= window.innerWidth + 1) continue;
          let a = e.parentElement;
          let scrolls = false;
          for (; a; a = a.parentElement) {
            const x = getComputedStyle(a).overflowX;
            if (x === 'auto' || x === 'scroll') { scrolls = true; break; }
          }
          if (!scrolls) out.push(e.tagName.toLowerCase() + ': ' + (e.textContent || '').trim().slice(0, 60));
        }
        return out.slice(0, 5);
      });
      // A table of three columns or fewer fits a 375 px screen: it must not
      // need its scrolling box, which would hide its last column's words.
      const scrolls = await page.evaluate(() => [...document.querySelectorAll('table')]
        .filter((t) => t.rows.length && t.rows[0].cells.length <= 3 && t.scrollWidth > t.clientWidth + 1)
        .map((t) => (t.rows[0].textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60)).slice(0, 5));
      await page.setViewportSize({ width: 1100, height: 900 });
      if (shots) {
        fs.mkdirSync(shots, { recursive: true });
        await page.screenshot({ path: path.join(shots, path.basename(file) + '.png'), fullPage: false });
      }
      results.push({ file, consoleErrors, external, violations: axe, overflow, scrolls });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}

main().catch((e) => { console.error(e); process.exit(2); });
