// Grants with and without JavaScript: the list and its filters through the URL, the grant's
// page, the New version form (at least one operation, the reason's counter), a version created
// and listed in the history, and a form opened before someone else's version shows the conflict.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MODES, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const env = serverAndBrowser();

const OPERATIONS = [
  'CreateGrant', 'CheckoutLicense', 'CheckoutBorrowLicense', 'CheckInLicense',
  'ExtendConsumptionLicense', 'ListPurchasedLicenses', 'CreateToken', 'ListReceivedLicenses',
];

async function press(page, mode, button) {
  if (mode.javaScriptEnabled) await button.click();
  else await Promise.all([page.waitForLoadState('load'), button.click()]);
}

async function openGrant(page, mode) {
  await page.goto(`${env.server.url}/grants`);
  await ready(page, mode);
  // The seeded grant; earlier tests may have renamed it in a new version.
  await page.getByTestId('grants').getByRole('link').first().click();
  await page.waitForURL(/\/grants\/detail\?arn=/);
  await ready(page, mode);
  return Number(await page.getByTestId('grant-version').textContent());
}

for (const mode of MODES) {
  describe(`grants (${mode.name})`, () => {
    it('filters the list through the URL', async () => {
      await withPage(env.browser, mode, 'grants-list', async (page) => {
        await signIn(page, mode, env.server.url);
        await page.goto(`${env.server.url}/grants`);
        await ready(page, mode);
        await page.getByTestId('grants').locator('tbody tr').first().waitFor();
        assert.match(await page.getByTestId('grants').textContent(), /Distributed.*PENDING_ACCEPT|Distributed.*ACTIVE/);
        await page.getByLabel('Direction').selectOption('received');
        await press(page, mode, page.getByRole('button', { name: 'Filter' }));
        await page.waitForURL(/direction=received/);
        await page.getByText('No grant matches.').waitFor();
        await page.goto(`${env.server.url}/grants?direction=distributed`);
        await ready(page, mode);
        assert.equal(await page.getByTestId('grants').locator('tbody tr').count(), 1);
      });
    });

    it('creates a version, and a stale form shows the conflict', async () => {
      await withPage(env.browser, mode, 'grant-version', async (page) => {
        await signIn(page, mode, env.server.url);
        const start = await openGrant(page, mode);
        assert.equal(await page.getByLabel(/^Source version/).inputValue(), String(start));

        // A second tab opens the same form, then the first one creates a version.
        const stalePage = await page.context().newPage();
        await stalePage.goto(page.url());
        await ready(stalePage, mode);

        if (mode.javaScriptEnabled) {
          for (const op of OPERATIONS) await page.getByRole('checkbox', { name: op, exact: true }).uncheck();
          await page.getByText('Allow at least one operation.').waitFor();
          assert.equal(await page.getByRole('button', { name: 'Create version' }).isDisabled(), true);
          await page.getByLabel(/^Status reason/).fill('Renewal signed');
          await page.getByTestId('reason-counter').getByText('14 / 400 characters').waitFor();
        } else {
          await page.getByLabel(/^Status reason/).fill('Renewal signed');
        }
        await page.getByRole('checkbox', { name: 'CheckoutLicense', exact: true }).check();
        await page.getByRole('checkbox', { name: 'ListPurchasedLicenses', exact: true }).check();
        await page.getByLabel('Name', { exact: true }).fill(`Partner seats ${mode.name}`);
        await page.locator('select[name="version[status]"]').selectOption('ACTIVE');
        await press(page, mode, page.getByRole('button', { name: 'Create version' }));
        await page.getByTestId('grant-version').getByText(String(start + 1), { exact: true }).waitFor();
        const newest = page.getByTestId('grant-versions').locator(`tr[data-version="${start + 1}"]`);
        assert.match(await newest.textContent(), new RegExp(`Partner seats ${mode.name}.*ACTIVE.*ListPurchasedLicenses.*by admin`));

        await stalePage.getByLabel('Name', { exact: true }).fill(`Stale idea ${mode.name}`);
        await press(stalePage, mode, stalePage.getByRole('button', { name: 'Create version' }));
        const conflict = stalePage.getByTestId('version-conflict');
        await conflict.getByText(`Someone created version ${start + 1}`, { exact: false }).waitFor();
        assert.match(await conflict.textContent(), new RegExp(`Partner seats ${mode.name}`));
        if (mode.javaScriptEnabled) {
          await stalePage.getByRole('button', { name: `Apply my changes again on version ${start + 1}` }).click();
          await stalePage.getByTestId('version-created').getByText(`Version ${start + 2} created.`).waitFor();
        } else {
          assert.equal(await stalePage.getByLabel(/^Source version/).inputValue(), String(start + 1));
          await stalePage.getByLabel('Name', { exact: true }).fill(`Stale idea ${mode.name}`);
          await press(stalePage, mode, stalePage.getByRole('button', { name: 'Create version' }));
        }
        await stalePage.getByTestId('grant-version').getByText(String(start + 2), { exact: true }).waitFor();
        assert.match(await stalePage.getByTestId('grant-name').textContent(), new RegExp(`Stale idea ${mode.name}`));
        assert.match(await stalePage.getByTestId('timeline').textContent(), /CreateGrantVersion/);
        // Every version stays listed, the seeded first one included.
        const listed = await stalePage.getByTestId('grant-versions').locator('tbody tr').evaluateAll(
          (rows) => rows.map((row) => Number(row.dataset.version)));
        assert.deepEqual(listed, Array.from({ length: start + 2 }, (_, i) => start + 2 - i));
        await stalePage.close();
      });
    });
  });
}
