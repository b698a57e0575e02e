// The invitation path across two AWS accounts: two lensgate servers against one standalone
// emulator, each signing as its own account. A workload shared from the first appears in the
// second's Invitations page; accepting it there makes the share ACCEPTED in the first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  MODES, asAccount, launchBrowser, ready, signIn, startEmulator, startServer, withPage,
} from './harness.mjs';

const OWNER = { accessKey: 'AKIAOWNERE2E000001', secretKey: 'owner-secret-e2e', accountId: '111111111111' };
const RECEIVER = { accessKey: 'AKIARECEIVERE2E001', secretKey: 'receiver-secret-e2e', accountId: '222222222222' };

const env = {};
before(async () => {
  env.emulator = await startEmulator([OWNER, RECEIVER]);
  const owner = asAccount(env.emulator, OWNER);
  const receiver = asAccount(env.emulator, RECEIVER);
  env.owner = await startServer(owner.args, owner.env);
  env.receiver = await startServer(receiver.args, receiver.env);
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.owner?.stop();
  await env.receiver?.stop();
  await env.emulator?.stop();
});

/// A workload of the owner's account shared with the receiver's, through the owner's server.
async function sharedWorkload(page, name) {
  const call = (endpoint, form) => page.request.post(`${env.owner.url}${endpoint}`, { headers: { accept: 'application/json' }, form });
  const created = await call('/api/workloads/create', {
    'workload[name]': name, 'workload[description]': 'Shared across accounts', 'workload[environment]': 'PRODUCTION',
    'workload[regions]': 'us-east-1', 'workload[review_owner]': '',
  });
  assert.equal(created.ok(), true, await created.text());
  const id = await created.json();
  const shared = await call('/api/workloads/share', { workload_id: id, principal: RECEIVER.accountId, permission: 'CONTRIBUTOR' });
  assert.equal(shared.ok(), true, await shared.text());
  return id;
}

for (const mode of MODES) {
  describe(`invitations across two accounts (${mode.name})`, () => {
    it('shares from one account and accepts in the other', async () => {
      await withPage(env.browser, mode, 'invitations-owner', async (ownerPage) => {
        await signIn(ownerPage, mode, env.owner.url);
        const name = `Cross-account ${mode.name}`;
        const id = await sharedWorkload(ownerPage, name);

        await withPage(env.browser, mode, 'invitations-receiver', async (page) => {
          await signIn(page, mode, env.receiver.url);
          await page.goto(`${env.receiver.url}/invitations`);
          await ready(page, mode);
          const row = page.getByTestId('invitations').locator(`tr[data-name="${name}"]`);
          await row.waitFor();
          assert.match(await row.textContent(), /111111111111/);
          assert.match(await row.textContent(), /Contributor/);
          const accept = row.getByRole('button', { name: `Accept ${name}` });
          if (mode.javaScriptEnabled) await accept.click();
          else await Promise.all([page.waitForLoadState('load'), accept.click()]);
          await page.waitForFunction((n) => !document.querySelector(`tr[data-name="${n}"]`), name);

          await page.goto(`${env.receiver.url}/workloads/detail?id=${id}`);
          await ready(page, mode);
          assert.equal(await page.getByTestId('workload-name').textContent(), name);
          await page.getByText('Only the account that owns this workload sees', { exact: false }).waitFor();
          assert.match(await page.getByTestId('timeline').textContent(), /UpdateShareInvitation/, 'audited on the workload');
        });

        await ownerPage.goto(`${env.owner.url}/workloads/detail?id=${id}`);
        await ready(ownerPage, mode);
        const share = ownerPage.getByTestId('shares').locator(`tr[data-principal="${RECEIVER.accountId}"]`);
        assert.match(await share.textContent(), /ACCEPTED/);
      });
    });
  });
}
