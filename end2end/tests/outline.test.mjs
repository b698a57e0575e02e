// The structured editor: a lens built from nothing with the outline alone (ids made from
// titles, a choice renamed in its risk rule, the rule builder, undo and redo across the outline
// and the text), imported and previewed. Without JavaScript the text form is the editor.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MODES, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const env = serverAndBrowser();

const form = (page) => page.locator('.outline-form');
const field = (page, label) => form(page).getByLabel(label, { exact: true }).first();
const tree = (page) => page.getByRole('navigation', { name: 'Lens outline' });

/// Chooses a node in the tree and waits for its form.
async function choose(page, name, heading) {
  await tree(page).getByRole('button', { name }).click();
  await form(page).getByRole('heading', { name: heading }).waitFor();
}

/// Types into an outline field key by key, as a person does: every keystroke is an edit of
/// the text, and the field keeps its focus through all of them.
async function type(page, label, value) {
  // A form just shown fills its fields in the next frame; typing starts after it.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
  await field(page, label).fill('');
  await field(page, label).pressSequentially(value);
  assert.equal(await field(page, label).inputValue(), value);
}

describe('the outline editor (hydrated)', () => {
  const mode = MODES.find((m) => m.javaScriptEnabled);
  it('builds a lens from nothing, keeps the text in step, undoes and redoes, and imports it', async () => {
    const name = 'Outline built lens';
    await withPage(env.browser, mode, 'outline-build', async (page, consoleErrors) => {
      await signIn(page, mode, env.server.url);
      await page.goto(`${env.server.url}/lenses/new`);
      await ready(page, mode);
      await page.getByRole('tab', { name: 'Outline' }).click();
      await page.getByTestId('outline-empty').waitFor();
      await page.getByRole('button', { name: 'Start a new lens' }).click();

      // The empty name is a problem shown at its field, and goes once the name is typed.
      const nameProblems = form(page).locator('#problems-name li.error');
      await nameProblems.first().waitFor();
      await type(page, 'Name', name);
      await type(page, 'Description', 'Questions before go-live.');
      await nameProblems.first().waitFor({ state: 'detached' });

      await choose(page, 'New pillar', 'Pillar');
      await type(page, 'Name', 'Operations');
      assert.equal(await field(page, 'Id').inputValue(), 'operations', 'the id follows the title');

      await choose(page, 'New question', 'Question');
      await type(page, 'Title', 'How do you deploy?');
      assert.equal(await field(page, 'Id').inputValue(), 'how_do_you_deploy');

      await form(page).locator('.choice-list').getByRole('button', { name: 'New choice' }).click();
      await form(page).getByRole('heading', { name: 'Choice' }).waitFor();
      await type(page, 'Title', 'With a pipeline');
      await form(page).locator('fieldset.resource').filter({ hasText: 'Improvement plan' }).getByLabel('Text').fill('Build a pipeline');
      await form(page).getByRole('button', { name: 'Back to its question' }).click();
      await form(page).getByRole('heading', { name: 'Question' }).waitFor();

      // A new choice goes before "None of these", and the form moves to it.
      await form(page).getByRole('button', { name: 'Add a choice' }).click();
      await form(page).getByRole('heading', { name: 'Choice' }).waitFor();
      await type(page, 'Title', 'Rollback on alarms');
      await form(page).locator('fieldset.resource').filter({ hasText: 'Improvement plan' }).getByLabel('Text').fill('Add alarms');
      await form(page).getByRole('button', { name: 'Back to its question' }).click();
      await form(page).getByRole('heading', { name: 'Question' }).waitFor();
      const choices = await form(page).locator('.choice-list li button').allTextContents();
      assert.deepEqual(choices, ['With a pipeline', 'Rollback on alarms', 'None of these']);

      // The first rule named the first choice by its made id, and followed the rename.
      const rule = form(page).locator('.risk-rule').first();
      const condition = rule.locator('[data-field="condition"]');
      assert.equal(await condition.inputValue(), 'with_a_pipeline');
      await rule.getByRole('checkbox', { name: /Rollback on alarms/ }).check();
      assert.equal(await condition.inputValue(), 'with_a_pipeline && rollback_on_alarms');
      await rule.locator('[data-field="shape"]').selectOption('any');
      assert.equal(await condition.inputValue(), 'with_a_pipeline || rollback_on_alarms');

      // Undo and redo step through the outline's edits, whichever tab made them.
      await page.getByRole('button', { name: 'Undo' }).click();
      assert.equal(await condition.inputValue(), 'with_a_pipeline && rollback_on_alarms');
      await page.keyboard.press('Control+Shift+Z');
      assert.equal(await condition.inputValue(), 'with_a_pipeline || rollback_on_alarms');
      await rule.locator('[data-field="shape"]').selectOption('all');

      // The try-it panel beside the question scores an answer with the rules as they stand.
      const tryIt = form(page).getByTestId('try-it');
      await tryIt.getByRole('checkbox', { name: 'With a pipeline' }).check();
      await tryIt.getByTestId('try-it-risk').filter({ hasText: 'High risk' }).waitFor();
      await tryIt.getByRole('checkbox', { name: 'Rollback on alarms' }).check();
      await tryIt.getByTestId('try-it-risk').filter({ hasText: 'No risk' }).waitFor();

      // By keyboard: an action is a button, and the focus goes on to the form of the node the
      // action leaves chosen.
      await form(page).getByRole('button', { name: 'Duplicate question' }).focus();
      await page.keyboard.press('Enter');
      await tree(page).getByRole('button', { name: 'How do you deploy?' }).nth(1).waitFor();
      await page.waitForFunction(() => document.activeElement?.matches('.outline-form h3'));
      assert.equal(await field(page, 'Id').inputValue(), 'how_do_you_deploy_copy', 'the copy has an id of its own');
      await form(page).getByRole('button', { name: 'Remove question' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelectorAll('nav.outline-tree button.node').length === 6);
      assert.equal(await field(page, 'Id').inputValue(), 'how_do_you_deploy', 'the original is chosen again');

      await page.getByTestId('problem-summary').filter({ hasText: /^No (problems|errors)/ }).waitFor();
      await page.getByRole('tab', { name: 'JSON' }).click();
      const text = await page.getByLabel('Lens source').inputValue();
      const lens = JSON.parse(text);
      assert.equal(lens.name, name);
      assert.deepEqual(lens.pillars[0].questions[0].choices.map((c) => c.id), ['with_a_pipeline', 'rollback_on_alarms', 'how_do_you_deploy_no']);
      assert.equal(lens.pillars[0].questions[0].riskRules[0].condition, 'with_a_pipeline && rollback_on_alarms');

      // A change typed in the text shows in the outline, and undo takes it back.
      await page.getByLabel('Lens source').fill(text.replace('"Operations"', '"Operations and delivery"'));
      await page.getByRole('tab', { name: 'Outline' }).click();
      await tree(page).getByRole('button', { name: 'Operations and delivery' }).waitFor();
      await page.getByRole('button', { name: 'Undo' }).click();
      await tree(page).getByRole('button', { name: 'Operations', exact: true }).waitFor();

      await page.getByRole('tab', { name: 'Preview' }).click();
      const preview = page.getByTestId('lens-preview');
      await preview.waitFor();
      assert.equal(await preview.locator('.lens-name').textContent(), name);
      assert.match(await preview.textContent(), /No risk when “With a pipeline” is selected and “Rollback on alarms” is selected/);

      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const result = page.getByTestId('import-result');
      await result.waitFor();
      assert.match(await result.textContent(), /^Imported\./);
      await result.getByRole('link', { name: 'Open the lens' }).click();
      await page.getByTestId('lens-name').waitFor();
      assert.equal(await page.getByTestId('lens-name').textContent(), name);
      assert.deepEqual(consoleErrors, []);
    });
  });
});

describe('the outline editor (no-js)', () => {
  const mode = MODES.find((m) => !m.javaScriptEnabled);
  it('is not offered, and the text form is the editor', async () => {
    await withPage(env.browser, mode, 'outline-nojs', async (page) => {
      await signIn(page, mode, env.server.url);
      await page.goto(`${env.server.url}/lenses/new`);
      await ready(page, mode);
      assert.equal(await page.getByRole('tab', { name: 'Outline' }).count(), 0);
      assert.equal(await page.getByLabel('Lens source').isVisible(), true);
      assert.equal(await page.getByRole('button', { name: 'Check' }).isVisible(), true);
    });
  });
});
