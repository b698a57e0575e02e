import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MODES, createUser, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const env = serverAndBrowser();

for (const mode of MODES) {
  describe(`user administration (${mode.name})`, () => {
    it('creates a viewer, who sees no administration and whose direct calls are refused', async () => {
      const viewer = `viewer-${mode.name}`;
      await withPage(env.browser, mode, 'admin-creates-viewer', async (page) => {
        await signIn(page, mode, env.server.url);
        await createUser(page, mode, env.server.url, viewer, 'viewer');
      });
      await withPage(env.browser, mode, 'viewer-sees-no-admin', async (page) => {
        await signIn(page, mode, env.server.url, viewer, 'a long enough password');
        assert.equal(await page.getByTestId('user-role').textContent(), 'viewer');
        await page.goto(`${env.server.url}/admin`);
        await ready(page, mode);
        await page.getByRole('alert').first().waitFor();
        assert.match(await page.getByRole('alert').first().textContent(), /needs the admin role/);
        assert.equal(await page.getByRole('button', { name: 'Create user' }).count(), 0);
        assert.equal(await page.getByRole('button', { name: 'Save role' }).count(), 0);
        const direct = await page.request.post(`${env.server.url}/api/users/create`, {
          headers: { accept: 'application/json' },
          form: { username: 'sneaky', password: 'a long enough password', role: 'admin' },
        });
        assert.equal(direct.ok(), false);
        assert.deepEqual(await direct.json(), { Forbidden: { needed: 'admin' } });
      });
    });

    it('shows a hostile username as text', async () => {
      const hostile = `<img src=x onerror=alert(1)>"><script>alert(2)</script>-${mode.name}`;
      await withPage(env.browser, mode, 'hostile-username', async (page) => {
        let dialogs = 0;
        page.on('dialog', async (dialog) => { dialogs += 1; await dialog.dismiss(); });
        await signIn(page, mode, env.server.url);
        await createUser(page, mode, env.server.url, hostile, 'viewer');
        const cell = page.locator('td.username').filter({ hasText: hostile });
        assert.equal(await cell.count(), 1);
        assert.equal(await cell.textContent(), hostile);
        assert.equal(await page.locator('td.username img').count(), 0);
        assert.equal(dialogs, 0);
      });
    });
  });
}
