// The Audit page with and without JavaScript: a filter through the plain GET form, an event's
// detail with its request and chain state, and the link to the resource it changed.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

import { MODES, ready, serverAndBrowser, signIn, withPage } from './harness.mjs';

const env = serverAndBrowser();

async function press(page, mode, button) {
  if (mode.javaScriptEnabled) await button.click();
  else await Promise.all([page.waitForLoadState('load'), button.click()]);
}

for (const mode of MODES) {
  describe(`audit (${mode.name})`, () => {
    it('filters, opens an event and follows its target', async () => {
      await withPage(env.browser, mode, 'audit', async (page) => {
        await signIn(page, mode, env.server.url);
        // A workload share gives the history an event with a target page.
        const call = (endpoint, form) => page.request.post(`${env.server.url}${endpoint}`, { headers: { accept: 'application/json' }, form });
        const workloads = await (await call('/api/workloads', { search: 'Data' })).json();
        const id = workloads[0].id;
        const principal = mode.javaScriptEnabled ? '210987654321' : '310987654321';
        assert.equal((await call('/api/workloads/share', { workload_id: id, principal, permission: 'READONLY', token: `audit-${mode.name}` })).ok(), true);

        await page.goto(`${env.server.url}/audit`);
        await ready(page, mode);
        await page.getByTestId('chain-badge').getByText('Chain verified up to event', { exact: false }).waitFor();
        await page.getByLabel(/^Target/).fill(id);
        await page.getByLabel(/^Outcome/).selectOption('succeeded');
        await press(page, mode, page.getByRole('button', { name: 'Filter' }));
        await page.waitForURL(/outcome=succeeded/);
        const rows = page.getByTestId('audit-events').locator('tbody tr');
        await rows.first().waitFor();
        assert.equal(await rows.count(), mode.javaScriptEnabled ? 1 : 2, 'one share per mode so far');
        assert.match(await rows.first().textContent(), /CreateWorkloadShare.*succeeded/);

        await rows.first().getByRole('link', { name: /^#\d+$/ }).click();
        await page.waitForURL(/\/audit\/event\?seq=\d+/);
        await ready(page, mode);
        assert.match(await page.getByTestId('event-title').textContent(), /CreateWorkloadShare succeeded/);
        assert.match(await page.getByTestId('event-request').textContent(), new RegExp(`"shared_with": "${principal}"`));
        assert.equal(await page.getByTestId('event-chain').textContent(), 'verifies up to this event');

        await page.getByTestId('event-target').click();
        await page.waitForURL(/\/workloads\/detail\?id=/);
        await ready(page, mode);
        await page.getByTestId('shares').locator(`tr[data-principal="${principal}"]`).waitFor();
      });
    });

    it('downloads the whole history as CSV and as JSON Lines from the links', async () => {
      await withPage(env.browser, mode, 'audit-export', async (page) => {
        await signIn(page, mode, env.server.url);
        await page.goto(`${env.server.url}/audit`);
        await ready(page, mode);
        const shown = await page.getByTestId('audit-events').locator('tbody tr').count();
        for (const [link, extension] of [['CSV', 'csv'], ['JSON Lines', 'jsonl']]) {
          const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.getByRole('link', { name: link, exact: true }).click(),
          ]);
          assert.equal(download.suggestedFilename(), `lensgate-audit.${extension}`);
          assert.equal(await download.failure(), null, `the ${link} download completes`);
          const text = await readFile(await download.path(), 'utf8');
          const lines = text.trimEnd().split('\n');
          if (extension === 'csv') {
            assert.match(lines[0], /^# lensgate audit export; hash chain verified up to event \d+/);
            assert.match(lines[1], /^seq,occurred_at,actor/);
            const rows = lines.slice(2);
            assert.ok(rows.length >= shown, `${rows.length} rows, the page shows ${shown}`);
            assert.match(rows.at(-1), /^1,/, 'the oldest event ends the file');
          } else {
            assert.equal(JSON.parse(lines[0]).lensgate_audit_export.chain.status, 'verified');
            const events = lines.slice(1).map((line) => JSON.parse(line));
            assert.ok(events.length >= shown);
            assert.equal(events.at(-1).seq, 1);
          }
        }
      });
    });
  });
}
