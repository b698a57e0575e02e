// Sharing a published lens from its page, with and without JavaScript: a pasted list where an
// invalid account id is flagged and never sent, a repeat shows "already shared", and a share is
// revoked after a confirmation that names the principal.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { MODES, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const LENS = readFileSync(path.resolve('lens/tests/fixtures/valid-small.json'), 'utf8');

const env = serverAndBrowser();

/// A published lens, made through the server functions an API client would call.
async function publishedLens(page, name) {
  const call = (endpoint, form) => page.request.post(`${env.server.url}${endpoint}`, { headers: { accept: 'application/json' }, form });
  const imported = await (await call('/api/lenses/import', { 'request[json]': LENS.replace('Serverless API review', name), 'request[lens_arn]': '', 'request[tags]': '' })).json();
  const arn = imported.lens_arn;
  const review = await (await call('/api/reviews/submit', { lens_arn: arn, note: 'share test' })).json();
  return { arn, review, call };
}

async function press(page, mode, button) {
  if (mode.javaScriptEnabled) await button.click();
  else await Promise.all([page.waitForLoadState('load'), button.click()]);
}

for (const mode of MODES) {
  describe(`lens shares (${mode.name})`, () => {
    it('flags an invalid id, shares the rest, says "already shared" and revokes', async () => {
      await withPage(env.browser, mode, 'lens-shares', async (page) => {
        await signIn(page, mode, env.server.url);
        const { arn, review, call } = await publishedLens(page, `Shared lens ${mode.name}`);
        // The administrator cannot approve their own draft; a second reviewer does.
        const reviewer = `share-reviewer-${mode.name}`;
        await call('/api/users/create', { username: reviewer, password: 'a long enough password', role: 'reviewer' });
        const other = await env.browser.newContext();
        const otherPage = await other.newPage();
        await otherPage.request.post(`${env.server.url}/api/login`, { headers: { accept: 'application/json' }, form: { username: reviewer, password: 'a long enough password' } });
        const decide = (endpoint, form) => otherPage.request.post(`${env.server.url}${endpoint}`, { headers: { accept: 'application/json' }, form });
        assert.equal((await decide('/api/reviews/decide', { review_id: String(review), decision: 'approve', comment: '' })).ok(), true);
        assert.equal((await decide('/api/reviews/publish', { review_id: String(review), version_name: '1.0', kind: 'major' })).ok(), true);
        await other.close();

        await page.goto(`${env.server.url}/lenses/detail?arn=${encodeURIComponent(arn)}`);
        await ready(page, mode);
        const field = page.getByLabel(/^Share with/);
        await field.fill('444455556666\n12345\no-abcdef1234');
        if (mode.javaScriptEnabled) {
          await page.getByTestId('principal-check').getByText('12345: An account id has 12 digits; this has 5.', { exact: false }).waitFor();
        }
        await press(page, mode, page.getByRole('button', { name: 'Share', exact: true }));
        if (mode.javaScriptEnabled) {
          const results = page.getByTestId('share-results');
          await results.waitFor();
          assert.match(await results.locator('tr[data-principal="444455556666"]').textContent(), /Shared/);
          assert.match(await results.locator('tr[data-principal="12345"]').textContent(), /Not sent: An account id has 12 digits/);
          assert.equal(await page.getByLabel(/^Share with/).inputValue(), '', 'a sent list is cleared');
        } else {
          assert.equal((await page.getByTestId('share-summary').textContent()).trim(), 'Shared with 2, 1 refused or not sent.');
        }
        const shares = page.getByTestId('shares');
        await shares.locator('tr[data-principal="444455556666"]').waitFor();
        await shares.locator('tr[data-principal="o-abcdef1234"]').waitFor();
        assert.equal(await shares.locator('tr[data-principal="12345"]').count(), 0, 'never sent');

        if (mode.javaScriptEnabled) {
          await page.getByLabel(/^Share with/).fill('444455556666');
          await page.getByRole('button', { name: 'Share', exact: true }).click();
          await page.getByTestId('share-results').locator('tr[data-principal="444455556666"]').filter({ hasText: 'Already shared' }).waitFor();
        } else {
          const again = await call('/api/lenses/share', { lens_arn: arn, principals: '444455556666' });
          assert.deepEqual((await again.json())[0].outcome, 'AlreadyShared');
        }

        await page.getByRole('link', { name: 'Revoke 444455556666' }).click();
        await ready(page, mode);
        await press(page, mode, page.getByRole('button', { name: 'Revoke the share with 444455556666' }));
        await page.getByTestId('shares').locator('tr[data-principal="o-abcdef1234"]').waitFor();
        await page.waitForFunction(() => !document.querySelector('[data-testid="shares"] tr[data-principal="444455556666"]'));
        assert.match(await page.getByTestId('timeline').textContent(), /DeleteLensShare/);
      });
    });
  });
}
