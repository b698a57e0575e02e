// axe-core on every page, in both modes: no serious or critical WCAG 2.1 A/AA violation (form
// controls labelled, contrast AA, names and roles). Without JavaScript the page is checked as
// the server rendered it: the bundle is not loaded, and axe is run by the test itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { MODES, importAndSubmit, serverAndBrowser, signIn } from './harness.mjs';

const AXE = readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
const LENS = readFileSync(path.resolve('lens/tests/fixtures/valid-small.json'), 'utf8');
const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const env = serverAndBrowser();

/// A page where axe can run: JavaScript on for the test's own script, the page's CSP bypassed
/// for it; in no-js mode the bundle is refused, so the page stays as the server sent it.
async function axePage(mode) {
  const context = await env.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  if (!mode.javaScriptEnabled) {
    await page.route('**/pkg/**', (route) => (route.request().url().endsWith('.css') ? route.continue() : route.abort()));
  }
  return { context, page };
}

async function settled(page, mode) {
  if (mode.javaScriptEnabled) await page.waitForSelector('html[data-hydrated="true"]', { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

async function violations(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate((rules) => window.axe.run(document, { runOnly: rules }), RULES);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

for (const mode of MODES) {
  describe(`accessibility (${mode.name})`, () => {
    it('finds no serious or critical violation on any page', async () => {
      const { context, page } = await axePage(mode);
      try {
        await page.goto(`${env.server.url}/login`);
        await settled(page, mode);
        const found = { '/login': await violations(page) };

        await signIn(page, mode, env.server.url);
        const { arn: lensArn, review } = await importAndSubmit(page, env.server.url, LENS.replace('Serverless API review', `Checked ${mode.name}`));
        const arn = encodeURIComponent(lensArn);

        for (const address of [
          '/', '/lenses', '/lenses/new', `/lenses/detail?arn=${arn}`, '/reviews', `/reviews/detail?id=${review}`,
          '/workloads', '/workloads/new', '/invitations', '/grants', '/audit', '/audit/event?seq=1', '/admin', '/account',
          '/no/such/page',
        ]) {
          await page.goto(`${env.server.url}${address}`);
          await settled(page, mode);
          found[address] = await violations(page);
        }
        const failing = Object.entries(found).filter(([, list]) => list.length > 0);
        assert.deepEqual(failing, [], JSON.stringify(failing, null, 2));
      } finally {
        await context.close();
      }
    });
  });
}
