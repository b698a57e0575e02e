// The home page as a dashboard, with and without JavaScript: a review waits for the reviewer
// (and leads to it), the author sees their draft and the change AWS refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { MODES, createUser, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const LENS = readFileSync(path.resolve('lens/tests/fixtures/valid-small.json'), 'utf8');
const PASSWORD = 'a long enough password';

const env = serverAndBrowser();

for (const mode of MODES) {
  describe(`home (${mode.name})`, () => {
    it('shows the reviewer what waits for them and the author their draft and failed change', async () => {
      const author = `home-author-${mode.name}`;
      const reviewer = `home-reviewer-${mode.name}`;
      const name = `Home dashboard ${mode.name}`;
      await withPage(env.browser, mode, 'home-users', async (page) => {
        await signIn(page, mode, env.server.url);
        await createUser(page, mode, env.server.url, author, 'author');
        await createUser(page, mode, env.server.url, reviewer, 'reviewer');
      });
      let review;
      await withPage(env.browser, mode, 'home-author', async (page) => {
        await signIn(page, mode, env.server.url, author, PASSWORD);
        const call = (endpoint, form) => page.request.post(`${env.server.url}${endpoint}`, { headers: { accept: 'application/json' }, form });
        const lens = { 'request[json]': LENS.replace('Serverless API review', name), 'request[lens_arn]': '', 'request[tags]': '' };
        const imported = await (await call('/api/lenses/import', lens)).json();
        review = await (await call('/api/reviews/submit', { lens_arn: imported.lens_arn, note: 'home test' })).json();
        const again = await call('/api/lenses/import', lens);
        assert.equal(again.ok(), false, 'the same name twice is refused by AWS');

        await page.goto(env.server.url);
        await ready(page, mode);
        const drafts = page.getByTestId('drafts');
        assert.match(await drafts.textContent(), new RegExp(`${name}.*by ${author}, open`));
        const unfinished = page.getByTestId('unfinished');
        assert.match(await unfinished.textContent(), /ImportLens failed/);
        await Promise.all([
          // Hydrated, the router changes the address without a page load.
          page.waitForURL((u) => u.pathname === '/lenses/new', { waitUntil: 'commit' }),
          unfinished.getByRole('link', { name: 'Try again on its page' }).click(),
        ]);
        await page.goto(env.server.url);
        await ready(page, mode);
        assert.equal(await page.getByTestId('waiting').count(), 0, 'an author decides nothing');
        assert.equal(await page.getByTestId('status-panel').count(), 0, 'server facts are for administrators');
      });
      await withPage(env.browser, mode, 'home-reviewer', async (page) => {
        await signIn(page, mode, env.server.url, reviewer, PASSWORD);
        await page.goto(env.server.url);
        await ready(page, mode);
        const waiting = page.getByRole('region', { name: 'Waiting for your review' });
        const link = waiting.getByRole('link', { name });
        assert.equal(await link.getAttribute('href'), `/reviews/detail?id=${review}`);
        // The other mode's review waits for this reviewer too: the header counts what the list shows.
        const listed = await waiting.getByRole('link').count();
        assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByTestId('waiting').textContent(), `${listed} waiting for you`);
        await Promise.all([page.waitForURL(`${env.server.url}/reviews/detail?id=${review}`), link.click()]);
      });
    });
  });
}

for (const mode of MODES) {
  describe(`home brings itself up to date (${mode.name})`, () => {
    it('shows a draft submitted after the page loaded once Refresh is pressed, in place when hydrated', async () => {
      const name = `Home refresh ${mode.name}`;
      await withPage(env.browser, mode, 'home-refresh', async (page) => {
        await signIn(page, mode, env.server.url);
        await page.goto(env.server.url);
        await ready(page, mode);
        const drafts = page.getByTestId('drafts');
        assert.doesNotMatch(await drafts.textContent(), new RegExp(name));
        await page.evaluate(() => { window.sameDocument = true; });

        const call = (endpoint, form) => page.request.post(`${env.server.url}${endpoint}`, { headers: { accept: 'application/json' }, form });
        const imported = await (await call('/api/lenses/import', { 'request[json]': LENS.replace('Serverless API review', name), 'request[lens_arn]': '', 'request[tags]': '' })).json();
        assert.equal((await call('/api/reviews/submit', { lens_arn: imported.lens_arn, note: 'refresh test' })).ok(), true);

        await page.getByRole('button', { name: 'Refresh' }).click();
        await drafts.getByRole('link', { name }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/');
        const kept = await page.evaluate(() => window.sameDocument === true);
        assert.equal(kept, mode.javaScriptEnabled, mode.javaScriptEnabled ? 'read in place, without loading the page again' : 'loaded again without JavaScript');
        assert.equal(await page.getByTestId('refresh-trouble').textContent(), '');
      });
    });

    if (mode.javaScriptEnabled) {
      it('reads its data itself when the router brings the user home', async () => {
        await withPage(env.browser, mode, 'home-router', async (page) => {
          await signIn(page, mode, env.server.url);
          await page.goto(`${env.server.url}/lenses`);
          await ready(page, mode);
          await page.evaluate(() => { window.sameDocument = true; });
          await page.getByRole('link', { name: 'lensgate' }).click();
          await page.getByTestId('drafts').waitFor();
          assert.equal(await page.evaluate(() => window.sameDocument === true), true, 'no page load');
          assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your lenses at a glance');
        });
      });
    }
  });
}
