// Lens authoring in the env.browser, with and without JavaScript: a valid lens previewed, imported
// and listed; a YAML lens checked at its YAML lines and imported; a broken lens's errors shown at their lines with import refused; hostile names
// refused as AWS refuses them and previewed as text.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { MODES, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const FIXTURES = path.resolve('lens/tests/fixtures');
const fixture = (name) => readFileSync(path.join(FIXTURES, name), 'utf8');

const env = serverAndBrowser();

const YAML_LENS = `schemaVersion: "2021-11-01"
name: YAML review
description: Questions before an API goes live.
pillars:
  - id: ops
    name: Operational excellence
    questions:
      - id: ops_deploy
        title: How do you deploy changes?
        choices:
          - id: ops_deploy_pipeline
            title: A pipeline deploys every change
            improvementPlan:
              displayText: Deploy through a pipeline.
          - id: ops_deploy_no
            title: None of these
        riskRules:
          - condition: ops_deploy_pipeline
            risk: NO_RISK
          - condition: default
            risk: HIGH_RISK
`;

/// Puts the lens text in the editor: a picked file with JavaScript, pasted text without.
async function enterLens(page, mode, text, fileName = 'lens.json') {
  if (mode.javaScriptEnabled) {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lens-')), fileName);
    writeFileSync(file, text);
    await page.getByLabel('Open a file').setInputFiles(file);
  } else {
    await page.getByLabel('Lens source').fill(text);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Check' }).click()]);
  }
}

async function openEditor(page, mode) {
  await page.goto(`${env.server.url}/lenses/new`);
  await ready(page, mode);
}

async function showPreview(page, mode) {
  if (mode.javaScriptEnabled) await page.getByRole('tab', { name: 'Preview' }).click();
  const preview = page.getByTestId('lens-preview');
  await preview.waitFor();
  return preview;
}

async function importLens(page, mode) {
  const button = page.getByRole('button', { name: 'Import', exact: true });
  if (mode.javaScriptEnabled) {
    await button.click();
    const result = page.getByTestId('import-result');
    await result.waitFor();
    assert.match(await result.textContent(), /^Imported\./);
    await result.getByRole('link', { name: 'Open the lens' }).click();
  } else {
    await Promise.all([page.waitForURL(/\/lenses\/detail\?arn=/), button.click()]);
  }
  await page.getByTestId('lens-name').waitFor();
}

for (const mode of MODES) {
  describe(`lens authoring (${mode.name})`, () => {
    it('previews a valid lens, imports it and finds it in the list', async () => {
      const name = `Serverless API review ${mode.name}`;
      await withPage(env.browser, mode, 'lens-import', async (page, consoleErrors) => {
        await signIn(page, mode, env.server.url);
        await openEditor(page, mode);
        await enterLens(page, mode, fixture('valid-small.json').replace('Serverless API review', name));
        await page.getByTestId('problem-summary').filter({ hasText: 'No problems' }).waitFor();

        const preview = await showPreview(page, mode);
        assert.equal(await preview.locator('.lens-name').textContent(), name);
        assert.match(await preview.textContent(), /How do you deploy changes\?/);
        assert.match(await preview.textContent(),
          /No risk when “Every change goes through a pipeline” is selected and “Deployments roll back automatically on alarms” is selected/);
        const link = preview.getByRole('link', { name: 'Build a deployment pipeline' });
        assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');

        await importLens(page, mode);
        assert.equal(await page.getByTestId('lens-name').textContent(), name);
        assert.equal(await page.getByTestId('lens-status').textContent(), 'Draft');
        assert.match(await page.getByTestId('timeline').textContent(), /ImportLens/);

        await page.goto(`${env.server.url}/lenses?kind=owned&q=${encodeURIComponent(mode.name)}`);
        await ready(page, mode);
        const row = page.getByTestId('lenses').locator('tr').filter({ hasText: name });
        await row.waitFor();
        assert.match(await row.textContent(), /Draft/);
        assert.deepEqual(consoleErrors, []);
      });
    });

    it('checks a YAML lens at its YAML lines and imports the JSON it describes', async () => {
      const name = `YAML review ${mode.name}`;
      const lens = YAML_LENS.replace('YAML review', name);
      await withPage(env.browser, mode, 'lens-yaml', async (page, consoleErrors) => {
        await signIn(page, mode, env.server.url);
        await openEditor(page, mode);
        await enterLens(page, mode, lens.replace('  - id: ops\n', '  - id: "ops pillar"\n'), 'lens.yaml');
        await page.getByTestId('problem-summary').filter({ hasText: '1 error' }).waitFor();
        const error = page.getByTestId('problems').locator('li.error');
        assert.equal(await error.getAttribute('data-rule'), 'invalid-id');
        assert.match(await error.textContent(), /Line 5, column 9/);
        if (mode.javaScriptEnabled) {
          assert.equal(await page.getByRole('tab', { name: 'YAML' }).isVisible(), true);
          assert.match(await page.getByTestId('source-format').textContent(), /Read as YAML/);
        }

        await enterLens(page, mode, lens, 'lens.yaml');
        await page.getByTestId('problem-summary').filter({ hasText: 'No problems' }).waitFor();
        const preview = await showPreview(page, mode);
        assert.equal(await preview.locator('.lens-name').textContent(), name);
        await importLens(page, mode);
        assert.equal(await page.getByTestId('lens-name').textContent(), name);
        assert.deepEqual(consoleErrors, []);
      });
    });

    it('shows each error of a broken lens at its line and imports nothing', async () => {
      const broken = fixture('three-errors.json');
      await withPage(env.browser, mode, 'lens-errors', async (page) => {
        await signIn(page, mode, env.server.url);
        await openEditor(page, mode);
        if (mode.javaScriptEnabled) {
          await page.getByLabel('Lens source').fill(broken);
        } else {
          await page.getByLabel('Lens source').fill(broken);
          await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Import', exact: true }).click()]);
        }
        await page.getByTestId('problem-summary').filter({ hasText: '3 errors' }).waitFor();
        const errors = page.getByTestId('problems').locator('li.error');
        const found = await errors.evaluateAll((items) => items.map((li) => [li.dataset.rule, li.dataset.line]));
        assert.deepEqual(found, [['invalid-id', '11'], ['missing-improvement-plan', '15'], ['unknown-choice', '19']]);
        assert.match(await errors.nth(2).textContent(), /"rel_backup_restored", which is not a choice of this question/);
        assert.equal(await page.getByLabel('Lens source').inputValue(), broken, 'the text is kept');

        if (mode.javaScriptEnabled) {
          assert.equal(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled(), true);
          await errors.nth(1).getByRole('button', { name: 'Line 15, column 13' }).click();
          const caret = await page.getByLabel('Lens source').evaluate((area) => area.selectionStart);
          const lines = broken.split('\n');
          assert.equal(caret, lines.slice(0, 14).join('\n').length + 1 + 12, 'the cursor is at line 15, column 13');
        } else {
          assert.match(await page.getByTestId('import-result').textContent(), /3 errors that must be fixed/);
        }
        await page.goto(`${env.server.url}/lenses?q=${encodeURIComponent('three mistakes')}`);
        await ready(page, mode);
        await page.getByRole('status').filter({ hasText: 'No lens matches' }).waitFor();
      });
    });

    it('shows a lens with hostile names as text', async () => {
      await withPage(env.browser, mode, 'lens-hostile', async (page) => {
        let dialogs = 0;
        page.on('dialog', async (dialog) => { dialogs += 1; await dialog.dismiss(); });
        await signIn(page, mode, env.server.url);
        await openEditor(page, mode);
        const hostile = fixture('hostile-names.json').replace("alert('lens')", `alert('${mode.name}')`);
        await enterLens(page, mode, hostile);
        // ImportLens refuses `<`, `>`, `=` and `"` in names and titles, so the lens cannot be
        // imported; the preview still shows what was pasted, as text.
        await page.getByTestId('problem-summary').filter({ hasText: 'fix the errors to import' }).waitFor();
        assert.ok(await page.getByTestId('problems').locator('li[data-rule="restricted-character"]').count() >= 2);
        const preview = await showPreview(page, mode);
        assert.equal(await preview.locator('.lens-name').textContent(), `<script>alert('${mode.name}')</script>`);
        assert.equal(await preview.locator('.question-title').first().textContent(), '"><img src=x onerror=alert(2)>');
        assert.equal(await page.locator('img[src="x"]').count(), 0);
        assert.equal(dialogs, 0);
        assert.notEqual(await page.title(), 'pwned');
      });
    });
  });
}

describe('lens text kept in the browser (hydrated)', () => {
  const mode = MODES.find((m) => m.javaScriptEnabled);
  it('survives a reload and an ended session, and is let go once imported or discarded', async () => {
    await withPage(env.browser, mode, 'lens-kept', async (page) => {
      await signIn(page, mode, env.server.url);
      await openEditor(page, mode);
      const lens = YAML_LENS.replace('YAML review', 'Kept lens');
      await page.getByLabel('Lens source').fill(lens);
      await page.getByTestId('problem-summary').filter({ hasText: 'No problems' }).waitFor();
      await page.reload();
      await ready(page, mode);
      await page.getByTestId('draft-restored').waitFor();
      assert.equal(await page.getByLabel('Lens source').inputValue(), lens);

      // The session ends: the import is refused in plain words and the text stays.
      await page.context().clearCookies();
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByTestId('import-result').filter({ hasText: 'Your session has ended' }).waitFor();
      assert.equal(await page.getByLabel('Lens source').inputValue(), lens);

      // Signed in again, the editor has the text back and imports it; then nothing is kept.
      await signIn(page, mode, env.server.url);
      await openEditor(page, mode);
      await page.getByTestId('draft-restored').waitFor();
      await page.getByTestId('problem-summary').filter({ hasText: 'No problems' }).waitFor();
      await importLens(page, mode);
      assert.equal(await page.getByTestId('lens-name').textContent(), 'Kept lens');
      await openEditor(page, mode);
      assert.equal(await page.getByLabel('Lens source').inputValue(), '');
      assert.equal(await page.getByTestId('draft-restored').count(), 0);

      // Discarded text does not come back.
      await page.getByLabel('Lens source').fill('{"name": "scratch"');
      await page.getByTestId('problem-summary').filter({ hasText: 'error' }).waitFor();
      await page.reload();
      await ready(page, mode);
      await page.getByRole('button', { name: 'Discard it' }).click();
      assert.equal(await page.getByLabel('Lens source').inputValue(), '');
      await page.reload();
      await ready(page, mode);
      assert.equal(await page.getByTestId('draft-restored').count(), 0);
    });
  });
});
