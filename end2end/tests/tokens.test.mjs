import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MODES, createUser, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const env = serverAndBrowser();

for (const mode of MODES) {
  describe(`API tokens (${mode.name})`, () => {
    it('creates a token shown once, which the API accepts until it is revoked', async () => {
      const author = `token-author-${mode.name}`;
      await withPage(env.browser, mode, 'token-admin', async (page) => {
        await signIn(page, mode, env.server.url);
        await createUser(page, mode, env.server.url, author, 'author');
      });
      await withPage(env.browser, mode, 'token-lifecycle', async (page) => {
        await signIn(page, mode, env.server.url, author, 'a long enough password');
        await page.goto(`${env.server.url}/account`);
        await ready(page, mode);
        await page.getByLabel('Name', { exact: true }).fill('ci-push');
        await page.getByLabel('Expires after, in days').fill('30');
        await page.getByLabel('Role', { exact: true }).selectOption('viewer');
        assert.deepEqual(
          await page.getByLabel('Role', { exact: true }).locator('option').allTextContents(),
          ['viewer', 'author'],
          'no role above the user\'s own is offered',
        );
        await page.getByRole('button', { name: 'Create token' }).click();
        const shown = page.getByTestId('new-token');
        await shown.waitFor();
        const secret = (await shown.locator('code').textContent()).trim();
        assert.match(secret, /^lgt_[0-9a-f]{40}$/);
        assert.equal(page.url().includes(secret), false, 'the token is never in the address');

        const row = page.locator('tr[data-token="ci-push"]');
        await row.waitFor();
        assert.match(await row.textContent(), /viewer/);
        assert.match(await row.textContent(), /never/);

        const api = await page.request.get(`${env.server.url}/api/v1/lenses`, {
          headers: { authorization: `Bearer ${secret}` },
        });
        assert.equal(api.status(), 200);

        await page.reload();
        await ready(page, mode);
        assert.equal(await page.getByTestId('new-token').count(), 0, 'shown once');

        await row.getByRole('button', { name: 'Revoke ci-push' }).click();
        await row.getByText('Revoked').waitFor();
        const refused = await page.request.get(`${env.server.url}/api/v1/lenses`, {
          headers: { authorization: `Bearer ${secret}` },
        });
        assert.equal(refused.status(), 401);
      });
    });

    it('lets an administrator see and revoke everyone\'s tokens', async () => {
      const owner = `token-owner-${mode.name}`;
      await withPage(env.browser, mode, 'token-owner', async (page) => {
        await signIn(page, mode, env.server.url);
        await createUser(page, mode, env.server.url, owner, 'author');
      });
      await withPage(env.browser, mode, 'token-owner-creates', async (page) => {
        await signIn(page, mode, env.server.url, owner, 'a long enough password');
        await page.goto(`${env.server.url}/account`);
        await ready(page, mode);
        await page.getByLabel('Name', { exact: true }).fill(`deploy-${mode.name}`);
        await page.getByRole('button', { name: 'Create token' }).click();
        await page.getByTestId('new-token').waitFor();
      });
      await withPage(env.browser, mode, 'token-admin-revokes', async (page) => {
        await signIn(page, mode, env.server.url);
        await page.goto(`${env.server.url}/admin`);
        await ready(page, mode);
        const row = page.locator(`tr[data-token="deploy-${mode.name}"]`);
        await row.waitFor();
        assert.match(await row.textContent(), new RegExp(owner));
        await row.getByRole('button', { name: `Revoke deploy-${mode.name}` }).click();
        await page.locator(`tr[data-token="deploy-${mode.name}"]`).getByText('Revoked').waitFor();
      });
    });
  });
}
