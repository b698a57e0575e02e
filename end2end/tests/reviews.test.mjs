// Review and publish with two people, with and without JavaScript: the author imports and
// submits, the reviewer reads the diff, approves and publishes 1.0 (major); a second draft
// becomes 1.1 (minor); the history lists both with who approved them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { MODES, createUser, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const PASSWORD = 'a long enough password';
const LENS = readFileSync(path.resolve('lens/tests/fixtures/valid-small.json'), 'utf8');

const env = serverAndBrowser();

/// The answer to a form, in both kinds of browser: there, worded as expected, and with
/// JavaScript focused so the keyboard lands on it.
async function expectResult(page, mode, testId, words) {
  const result = page.getByTestId(testId);
  await result.waitFor();
  assert.match((await result.textContent()).trim(), words);
  if (mode.javaScriptEnabled) {
    await page.waitForFunction((id) => document.activeElement?.dataset.testid === id, testId);
  }
}

/// Submits a form's button and, without JavaScript, waits for the page the server sends back.
async function press(page, mode, button) {
  if (mode.javaScriptEnabled) {
    await button.click();
  } else {
    await Promise.all([page.waitForLoadState('load'), button.click()]);
  }
}

async function importAndSubmit(page, mode, text, lensArn, note) {
  await page.goto(`${env.server.url}/lenses/new${lensArn ? `?lens=${encodeURIComponent(lensArn)}` : ''}`);
  await ready(page, mode);
  await page.getByLabel('Lens source').fill(text);
  await page.getByTestId('problem-summary').filter({ hasText: 'No problems' }).or(page.getByTestId('problem-summary').filter({ hasText: 'Paste or open' })).first().waitFor();
  const importButton = page.getByRole('button', { name: 'Import', exact: true });
  if (mode.javaScriptEnabled) {
    await page.getByTestId('problem-summary').filter({ hasText: 'No problems' }).waitFor();
    await importButton.click();
    await page.getByTestId('import-result').getByRole('link', { name: 'Open the lens' }).click();
  } else {
    await Promise.all([page.waitForURL(/\/lenses\/detail\?arn=/), importButton.click()]);
  }
  await page.getByTestId('lens-name').waitFor();
  await ready(page, mode);
  const arn = await page.getByTestId('lens-arn').textContent();
  await page.getByLabel('Note for the reviewers').fill(note);
  await press(page, mode, page.getByRole('button', { name: 'Submit for review' }));
  await expectResult(page, mode, 'submit-result', /^Submitted for review\. Open review \d+$/);
  await page.getByTestId('draft-review').filter({ hasText: 'Waiting for review' }).waitFor();
  return arn;
}

async function reviewAndPublish(page, mode, lensName, version, kind, expectChange) {
  await page.goto(`${env.server.url}/reviews`);
  await ready(page, mode);
  const row = page.getByTestId('reviews').locator('tr').filter({ hasText: lensName });
  await row.getByRole('link', { name: /^Review \d+$/ }).click();
  await ready(page, mode);
  await page.getByTestId('diff').waitFor();
  await expectChange(page);
  await page.getByLabel('Comment', { exact: true }).fill('Reads well.');
  await press(page, mode, page.getByRole('button', { name: 'Approve' }));
  await page.getByTestId('review-state').filter({ hasText: 'Approved, ready to publish' }).waitFor();
  await expectResult(page, mode, 'decided', /^Decision recorded\.$/);
  await page.getByLabel('Version name').fill(version);
  await page.getByLabel(kind === 'major' ? /Major:/ : /Minor:/).check();
  await press(page, mode, page.getByRole('button', { name: 'Publish version' }));
  await page.getByTestId('review-state').filter({ hasText: 'Published' }).waitFor();
  await expectResult(page, mode, 'published', new RegExp(`^Published as version ${version.replace('.', '\\.')}\\.$`));
  assert.equal(await page.getByTestId('decided').count(), 0, 'the earlier answer is gone');
  // Once published, the review still shows what it changed, against the version before it.
  await expectChange(page);
}

for (const mode of MODES) {
  describe(`review and publish (${mode.name})`, () => {
    it('takes two drafts through review to versions 1.0 and 1.1', async () => {
      const author = `author-${mode.name}`;
      const reviewer = `reviewer-${mode.name}`;
      const name = `Reviewed lens ${mode.name}`;
      await withPage(env.browser, mode, 'review-users', async (page) => {
        await signIn(page, mode, env.server.url);
        await createUser(page, mode, env.server.url, author, 'author');
        await createUser(page, mode, env.server.url, reviewer, 'reviewer');
      });

      let arn;
      await withPage(env.browser, mode, 'review-first-draft', async (page) => {
        await signIn(page, mode, env.server.url, author, PASSWORD);
        arn = await importAndSubmit(page, mode, LENS.replace('Serverless API review', name), null, 'First version');
      });
      await withPage(env.browser, mode, 'review-first-approval', async (page) => {
        await signIn(page, mode, env.server.url, reviewer, PASSWORD);
        await reviewAndPublish(page, mode, name, '1.0', 'major', async () => {
          assert.match(await page.getByTestId('diff-summary').textContent(), /^2 structural changes; \d+ lines added, 0 removed$/);
          assert.match(await page.locator('#changes-heading').textContent(), /against nothing: the lens's first version/);
          // What the reviewer approves is in front of them: the questions with their choices.
          const whole = page.getByTestId('lens-preview');
          assert.equal(await whole.isVisible(), true);
          assert.match(await whole.textContent(), /How do you deploy changes\?/);
          assert.equal(await whole.locator('.choice-title').filter({ hasText: 'Every change goes through a pipeline' }).isVisible(), true);
        });
      });
      await withPage(env.browser, mode, 'review-second-draft', async (page) => {
        await signIn(page, mode, env.server.url, author, PASSWORD);
        const second = LENS.replace('Serverless API review', name).replace('How do you deploy changes?', 'How do you ship changes?');
        assert.equal(await importAndSubmit(page, mode, second, arn, 'Clearer question'), arn);
      });
      await withPage(env.browser, mode, 'review-second-approval', async (page) => {
        await signIn(page, mode, env.server.url, reviewer, PASSWORD);
        await reviewAndPublish(page, mode, name, '1.1', 'minor', async () => {
          const change = page.locator('li.change').filter({ hasText: 'title' });
          assert.equal(await change.locator('del').first().textContent(), 'deploy');
          assert.equal(await change.locator('ins').first().textContent(), 'ship');
          assert.equal(await change.locator('.in-context').textContent(), 'The only one in its list', 'the question is placed among its pillar\'s questions');
          assert.match(await page.getByTestId('upgrade-advice').textContent(), /^Safe as a minor version: no answer is cleared/);
          // Later versions lead with the changes; the whole lens is one click away.
          const whole = page.getByTestId('lens-preview');
          assert.equal(await whole.isVisible(), false);
          await page.locator('details.whole-lens > summary').click();
          assert.match(await whole.textContent(), /How do you ship changes\?/);
        });
      });
      await withPage(env.browser, mode, 'review-history', async (page) => {
        await signIn(page, mode, env.server.url, author, PASSWORD);
        await page.goto(`${env.server.url}/lenses/detail?arn=${encodeURIComponent(arn)}`);
        await ready(page, mode);
        const rows = page.getByTestId('versions').locator('tbody tr');
        await rows.first().waitFor();
        const history = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(0, 5).map((td) => td.textContent.trim())));
        assert.deepEqual(history, [
          ['1.1', 'minor', author, reviewer, reviewer],
          ['1.0', 'major', author, reviewer, reviewer],
        ]);
        assert.match(await page.getByTestId('timeline').textContent(), /CreateLensVersion/);
        assert.equal(await page.getByTestId('draft').count(), 0, 'no draft panel for a published import');
        assert.match(await page.getByTestId('no-draft').textContent(), /No open draft: the newest import is published as version 1\.1/);
      });
    });
  });
}
