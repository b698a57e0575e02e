// The main pages at a phone's width (390 x 844), with and without JavaScript: the page never
// scrolls sideways; wide tables scroll inside their own box.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { ADMIN_PASSWORD, MODES, ready, serverAndBrowser } from './harness.mjs';

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
        await page.getByLabel('Username').fill('admin');
        await page.getByLabel('Password').fill(ADMIN_PASSWORD);
        await Promise.all([
          page.waitForURL((u) => !u.pathname.startsWith('/login')),
          page.getByRole('button', { name: 'Sign in' }).click(),
        ]);
        const call = (endpoint, form) => page.request.post(`${env.server.url}${endpoint}`, { headers: { accept: 'application/json' }, form });
        const imported = await (await call('/api/lenses/import', { 'request[json]': LENS.replace('Serverless API review', `Narrow ${mode.name}`), 'request[lens_arn]': '', 'request[tags]': '' })).json();
        const review = await (await call('/api/reviews/submit', { lens_arn: imported.lens_arn, note: 'narrow' })).json();
        for (const address of [
          '/', '/lenses', '/lenses/new', `/lenses/detail?arn=${encodeURIComponent(imported.lens_arn)}`, '/reviews',
          `/reviews/detail?id=${review}`, '/workloads', '/invitations', '/grants', '/audit', '/admin', '/account',
        ]) {
          await page.goto(`${env.server.url}${address}`);
          await ready(page, mode);
          await measure(address);
        }
        assert.deepEqual(wide, {}, 'pages wider than the screen (scroll width, screen width)');
      } finally {
        await context.close();
      }
    });
  });
}
