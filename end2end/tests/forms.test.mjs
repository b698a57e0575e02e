// One form design on every page: the label above its control, the hint linked to it, the
// required mark, and the server's complaint about a field under that field, with and without
// JavaScript.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MODES, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const env = serverAndBrowser();

for (const mode of MODES) {
  describe(`forms (${mode.name})`, () => {
    it('puts the label above the field and the server\'s complaint under it', async () => {
      await withPage(env.browser, mode, 'forms-field-error', async (page) => {
        await signIn(page, mode, env.server.url);
        await page.goto(`${env.server.url}/admin`);
        await ready(page, mode);
        const form = page.getByRole('region', { name: 'New user' });
        const username = form.getByLabel('Username');
        const label = form.locator('label[for="new-username"]');
        const [labelBox, fieldBox] = [await label.boundingBox(), await username.boundingBox()];
        assert.ok(labelBox.y + labelBox.height <= fieldBox.y + 1, 'the label sits above its field');
        assert.equal(await form.locator('label[for="new-username"] + .required').textContent(), ' *', 'a required field is marked beside its label');
        assert.equal(await username.getAttribute('required'), '');
        const described = (await username.getAttribute('aria-describedby')).split(' ');
        assert.deepEqual(described, ['new-username-hint', 'new-username-error']);
        assert.equal(await page.locator('#new-username-hint').textContent(), '1 to 64 characters.');
        assert.equal(await page.locator('#new-username-error').isVisible(), false, 'no complaint before the form is sent');

        await username.fill('admin');
        await form.getByLabel('Password', { exact: true }).fill('a long enough password');
        await form.getByRole('button', { name: 'Create user' }).click();
        const error = page.locator('#new-username-error');
        await error.filter({ hasText: 'is taken' }).waitFor();
        assert.equal(await error.textContent(), 'The username "admin" is taken.');
        const field = form.getByLabel('Username');
        assert.equal(await field.getAttribute('aria-invalid'), 'true');
        const [errorBox, invalidBox] = [await error.boundingBox(), await field.boundingBox()];
        assert.ok(errorBox.y >= invalidBox.y + invalidBox.height - 1, 'the complaint sits under its field');
        assert.equal(await page.locator('#new-password-error').isVisible(), false, 'the other fields are not blamed');
        assert.equal(await form.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), null);
      });
    });
  });
}
