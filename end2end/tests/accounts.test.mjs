import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MODES, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const env = serverAndBrowser();

for (const mode of MODES) {
  describe(`sign-in (${mode.name})`, () => {
    it('sends a visitor to the sign-in page and back to where they were going', async () => {
      await withPage(env.browser, mode, 'sign-in-next', async (page) => {
        await page.goto(`${env.server.url}/audit`);
        assert.match(page.url(), /\/login\?next=\/audit$/);
        await ready(page, mode);
        await page.getByLabel('Username').fill('admin');
        await page.getByLabel('Password').fill('e2e admin password, long enough');
        await Promise.all([
          page.waitForURL(`${env.server.url}/audit`),
          page.getByRole('button', { name: 'Sign in' }).click(),
        ]);
        await ready(page, mode);
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Audit');
      });
    });

    it('shows one message for a wrong password', async () => {
      await withPage(env.browser, mode, 'sign-in-wrong', async (page) => {
        await page.goto(`${env.server.url}/login`);
        await ready(page, mode);
        await page.getByLabel('Username').fill(`admin-${mode.name}-typo`);
        await page.getByLabel('Password').fill('not it');
        await page.getByRole('button', { name: 'Sign in' }).click();
        const error = page.getByTestId('login-error');
        await error.waitFor();
        assert.equal(await error.textContent(), 'Wrong username or password.');
        assert.match(page.url(), /\/login/);
      });
    });

    it('signs out', async () => {
      await withPage(env.browser, mode, 'sign-out', async (page) => {
        await signIn(page, mode, env.server.url);
        assert.equal(await page.getByTestId('user-name').textContent(), 'admin');
        await Promise.all([
          page.waitForURL(/\/login/),
          page.getByRole('button', { name: 'Sign out' }).click(),
        ]);
        await page.goto(`${env.server.url}/lenses`);
        assert.match(page.url(), /\/login\?next=\/lenses$/, 'the session ended');
      });
    });
  });
}
