import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MODES, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const env = serverAndBrowser();

for (const mode of MODES) {
  describe(`app shell (${mode.name})`, () => {
    it('shows the header, navigation and the server status', async () => {
      await withPage(env.browser, mode, 'shell', async (page, consoleErrors) => {
        await signIn(page, mode, env.server.url);
        const response = await page.goto(env.server.url);
        assert.equal(response.status(), 200);
        await ready(page, mode);
        await assert.doesNotReject(page.getByRole('link', { name: 'lensgate' }).waitFor());
        const nav = page.getByRole('navigation', { name: 'Main' });
        for (const label of ['Lenses', 'Reviews', 'Workloads', 'Invitations', 'Grants', 'Audit', 'Admin']) {
          assert.equal(await nav.getByRole('link', { name: label }).count(), 1, `nav link ${label}`);
        }
        assert.equal(await page.getByTestId('user-name').textContent(), 'admin');
        assert.equal(await page.getByTestId('user-role').textContent(), 'admin');
        assert.equal(await page.getByTestId('backend').textContent(), 'emulator');
        assert.equal(await page.getByTestId('database-path').textContent(), env.server.database);
        assert.match(await page.getByTestId('schema-version').textContent(), /^\d{14}$/);
        assert.deepEqual(consoleErrors, []);
      });
    });

    it('navigates between sections', async () => {
      await withPage(env.browser, mode, 'navigation', async (page) => {
        await signIn(page, mode, env.server.url);
        await page.goto(env.server.url);
        await ready(page, mode);
        if (mode.javaScriptEnabled) await page.evaluate(() => { window.__sameDocument = true; });
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
        await page.waitForURL(`${env.server.url}/audit`);
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Audit');
        assert.equal(await page.title(), 'Audit · lensgate');
        const current = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' });
        assert.equal(await current.getAttribute('aria-current'), 'page');
        if (mode.javaScriptEnabled) {
          // The router changed the page without loading a new document.
          assert.equal(await page.evaluate(() => window.__sameDocument), true);
        }
      });
    });

    it('refreshes the status in place with JavaScript, by loading the page again without', async () => {
      await withPage(env.browser, mode, 'status-refresh', async (page) => {
        await signIn(page, mode, env.server.url);
        await page.goto(env.server.url);
        await ready(page, mode);
        // The page shows the minute; the instant itself is the <time> element's datetime.
        const checkedAt = page.getByTestId('checked-at').locator('time');
        const before = await checkedAt.getAttribute('datetime');
        const calls = [];
        page.on('request', (r) => { if (r.url().includes('/api/')) calls.push(new URL(r.url()).pathname); });
        if (mode.javaScriptEnabled) {
          await page.evaluate(() => { window.__sameDocument = true; });
          await page.getByRole('button', { name: 'Refresh' }).click();
          await page.waitForFunction(
            (earlier) => document.querySelector('[data-testid="checked-at"] time')?.getAttribute('datetime') !== earlier,
            before,
          );
          assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no page load');
          assert.deepEqual(calls, ['/api/home'], 'one server-function call');
        } else {
          await Promise.all([
            page.waitForEvent('load'),
            page.getByRole('button', { name: 'Refresh' }).click(),
          ]);
          assert.deepEqual(calls, [], 'the status travels inside the page');
        }
        assert.notEqual(await checkedAt.getAttribute('datetime'), before);
        assert.match(await checkedAt.getAttribute('datetime'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.match(await checkedAt.textContent(), /\d:\d\d/);
      });
    });

    it('answers an unknown address with a 404 page', async () => {
      await withPage(env.browser, mode, 'not-found', async (page) => {
        await signIn(page, mode, env.server.url);
        const response = await page.goto(`${env.server.url}/no/such/page`);
        assert.equal(response.status(), 404);
        await ready(page, mode);
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Page not found');
        assert.equal(await page.getByTestId('not-found').locator('code').textContent(), '/no/such/page');
        await page.getByRole('link', { name: 'Go to the start page' }).click();
        await page.waitForURL(`${env.server.url}/`);
      });
    });
  });
}
