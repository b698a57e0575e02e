// Workloads with and without JavaScript: the New workload form, the share form with an invalid
// account id flagged and never sent, a repeat refused as already shared, the permission
// changed, the share revoked after a confirmation, and the search of the list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MODES, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const env = serverAndBrowser();

async function press(page, mode, button) {
  if (mode.javaScriptEnabled) await button.click();
  else await Promise.all([page.waitForLoadState('load'), button.click()]);
}

for (const mode of MODES) {
  describe(`workloads (${mode.name})`, () => {
    it('creates a workload, shares it, changes the permission and revokes', async () => {
      await withPage(env.browser, mode, 'workloads', async (page) => {
        await signIn(page, mode, env.server.url);
        const name = `Checkout ${mode.name}`;
        await page.goto(`${env.server.url}/workloads/new`);
        await ready(page, mode);
        await page.getByLabel(/^Name/).fill(name);
        await page.getByLabel(/^Description/).fill('Basket, payment and receipts');
        await page.getByLabel('Environment').selectOption('PREPRODUCTION');
        await Promise.all([
          page.waitForURL(/\/workloads\/detail\?id=[0-9a-f]{32}/),
          page.getByRole('button', { name: 'Create workload' }).click(),
        ]);
        await ready(page, mode);
        assert.equal(await page.getByTestId('workload-name').textContent(), name);

        const principal = page.getByLabel(/^Share with/);
        await principal.fill('12345');
        if (mode.javaScriptEnabled) {
          await page.getByTestId('principal-check').getByText('An account id has 12 digits', { exact: false }).waitFor();
          assert.equal(await page.getByRole('button', { name: 'Share', exact: true }).isDisabled(), true, 'never sent');
        } else {
          await press(page, mode, page.getByRole('button', { name: 'Share', exact: true }));
          await page.getByTestId('share-error').getByText('An account id has 12 digits', { exact: false }).waitFor();
        }
        assert.equal(await page.getByTestId('shares').count(), 0, 'nothing shared');

        await page.getByLabel(/^Share with/).fill('210987654321');
        await page.getByRole('radio', { name: /^Contributor/ }).check();
        await press(page, mode, page.getByRole('button', { name: 'Share', exact: true }));
        const row = page.getByTestId('shares').locator('tr[data-principal="210987654321"]');
        await row.waitFor();
        assert.equal(await row.getByRole('combobox').inputValue(), 'CONTRIBUTOR');
        assert.match(await row.textContent(), /PENDING/);

        await page.getByLabel(/^Share with/).fill('210987654321');
        await press(page, mode, page.getByRole('button', { name: 'Share', exact: true }));
        await page.getByTestId('share-error').getByText('already shared', { exact: false }).waitFor();

        await page.getByTestId('shares').locator('tr[data-principal="210987654321"]').getByRole('combobox').selectOption('READONLY');
        await press(page, mode, page.getByTestId('shares').locator('tr[data-principal="210987654321"]').getByRole('button', { name: 'Change' }));
        await page.getByTestId('timeline').getByText('UpdateWorkloadShare').first().waitFor();
        assert.equal(await page.getByTestId('shares').locator('tr[data-principal="210987654321"]').getByRole('combobox').inputValue(), 'READONLY');

        await page.getByRole('link', { name: 'Revoke 210987654321' }).click();
        await ready(page, mode);
        await press(page, mode, page.getByRole('button', { name: 'Revoke the share with 210987654321' }));
        await page.getByText('Not shared with anyone.').waitFor();
        await page.getByTestId('timeline').getByText('DeleteWorkloadShare').first().waitFor();

        await page.goto(`${env.server.url}/workloads`);
        await ready(page, mode);
        await page.getByLabel(/^Name starts with/).fill(`checkout ${mode.name}`);
        await press(page, mode, page.getByRole('button', { name: 'Search' }));
        await page.waitForURL(/q=checkout/);
        const rows = page.getByTestId('workloads').locator('tbody tr');
        await rows.first().waitFor();
        assert.equal(await rows.count(), 1);
        assert.equal(await rows.first().getByRole('link').textContent(), name);
      });
    });
  });
}
