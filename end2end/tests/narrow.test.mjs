// The main pages at a phone's width (390 x 844), with and without JavaScript: the page never
// scrolls sideways; wide tables scroll inside their own box.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { MODES, importAndSubmit, ready, serverAndBrowser, signIn } from './harness.mjs';

const LENS = readFileSync(path.resolve('lens/tests/fixtures/valid-small.json'), 'utf8');

const env = serverAndBrowser();

for (const mode of MODES) {
  describe(`phone width (${mode.name})`, () => {
    it('shows every main page without sideways scrolling', async () => {
      const context = await env.browser.newContext({ javaScriptEnabled: mode.javaScriptEnabled, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      try {
        await page.goto(`${env.server.url}/login`);
        await ready(page, mode);
        const wide = {};
        const measure = async (address) => {
          const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
          if (widths[0] > widths[1]) wide[address] = widths;
        };
        await measure('/login');
        await signIn(page, mode, env.server.url);
        const { arn, review } = await importAndSubmit(page, env.server.url, LENS.replace('Serverless API review', `Narrow ${mode.name}`));
        for (const address of [
          '/', '/lenses', '/lenses/new', `/lenses/detail?arn=${encodeURIComponent(arn)}`, '/reviews',
          `/reviews/detail?id=${review}`, '/workloads', '/invitations', '/grants', '/audit', '/admin', '/account',
        ]) {
          await page.goto(`${env.server.url}${address}`);
          await ready(page, mode);
          await measure(address);
        }
        assert.deepEqual(wide, {}, 'pages wider than the screen (scroll width, screen width)');

        // The navigation folds behind "Menu", with or without script.
        const nav = page.getByRole('navigation', { name: 'Main' });
        assert.equal(await nav.isVisible(), false, 'folded at first');
        await page.getByLabel('Menu', { exact: true }).check();
        await nav.getByRole('link', { name: 'Audit' }).click();
        await page.waitForURL(`${env.server.url}/audit`);
        await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
      } finally {
        await context.close();
      }
    });
  });
}
