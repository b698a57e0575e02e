// Starts the real lensgate binary on a free loopback port with a database of its own, and
// drives Debian's Chromium through playwright-core, in two modes: hydrated, and JavaScript off.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.LENSGATE_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export const ARTIFACTS = path.resolve(process.env.LENSGATE_E2E_ARTIFACTS ?? 'end2end/artifacts');

export const ADMIN_PASSWORD = 'e2e admin password, long enough';

export const MODES = [
  { name: 'hydrated', javaScriptEnabled: true },
  { name: 'no-js', javaScriptEnabled: false },
];

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests through \`make test\``);
  return value;
}

/// Runs `args` of the lensgate binary until its log says it listens; resolves to its address.
function waitForListening(child, pattern) {
  let log = '';
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start in ${START_TIMEOUT_MS} ms:\n${log}`)), START_TIMEOUT_MS);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const match = log.match(pattern);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited with ${code}:\n${log}`)); });
  });
  return { url, log: () => log };
}

async function stopChild(child) {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

/// A standalone emulator that accepts one access key per entry of `accounts`
/// ({ accessKey, secretKey, accountId }).
export async function startEmulator(accounts) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lensgate-e2e-emulator-'));
  const args = ['emulator', '--listen', '127.0.0.1:0', '--db', path.join(dir, 'emulator.db')];
  for (const a of accounts) {
    args.push('--access-key', a.accessKey, '--secret-key', a.secretKey, '--account-id', a.accountId);
  }
  const child = spawn(required('LENSGATE_BIN'), args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LENSGATE_LOG: 'info' },
  });
  const started = waitForListening(child, /emulator listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return {
    url: await started.url,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/// Arguments and environment for a server that reaches `emulator` as AWS, signing as `account`.
export function asAccount(emulator, account) {
  return {
    args: ['--backend', 'aws', '--endpoint-url', emulator.url, '--region', 'us-east-1'],
    env: {
      AWS_ACCESS_KEY_ID: account.accessKey,
      AWS_SECRET_ACCESS_KEY: account.secretKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  };
}

export async function startServer(extraArgs = [], extraEnv = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lensgate-e2e-'));
  const database = path.join(dir, 'lensgate.db');
  const child = spawn(required('LENSGATE_BIN'), [
    '--listen', '127.0.0.1:0',
    '--database', database,
    '--site-root', required('LENSGATE_SITE_ROOT'),
    ...extraArgs,
  ], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LENSGATE_LOG: 'info', LENSGATE_ADMIN_PASSWORD: ADMIN_PASSWORD, ...extraEnv },
  });
  const started = waitForListening(child, /lensgate listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return {
    url: await started.url,
    database,
    log: started.log,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/// Runs `body` with a fresh page in `mode`; on failure keeps a screenshot under ARTIFACTS.
export async function withPage(browser, mode, testName, body) {
  const context = await browser.newContext({ javaScriptEnabled: mode.javaScriptEnabled });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  try {
    await body(page, consoleErrors);
  } catch (error) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${mode.name}-${testName.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    error.message += `\n(screenshot: ${file})`;
    throw error;
  } finally {
    await context.close();
  }
}

/// In hydrated mode, waits until the WASM has taken over the page.
export async function ready(page, mode) {
  if (mode.javaScriptEnabled) {
    await page.waitForSelector('html[data-hydrated="true"]', { timeout: 15_000 });
  }
}

/// Signs in through the form, as a person would, and waits for the page it leads to.
export async function signIn(page, mode, url, username = 'admin', password = ADMIN_PASSWORD) {
  await page.goto(`${url}/login`);
  await ready(page, mode);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await ready(page, mode);
}

/// Imports `lens` as a new lens and submits it for review through the server functions, as the
/// page's signed-in user does from a script: the lens's ARN and the review's number.
export async function importAndSubmit(page, url, lens, note = 'from a test') {
  const call = (endpoint, form) => page.request.post(`${url}${endpoint}`, { headers: { accept: 'application/json' }, form });
  const imported = await (await call('/api/lenses/import', { 'request[json]': lens, 'request[lens_arn]': '', 'request[tags]': '' })).json();
  const review = await (await call('/api/reviews/submit', { lens_arn: imported.lens_arn, note })).json();
  return { arn: imported.lens_arn, review };
}

/// Creates a user through the Admin page; the page must be signed in as an administrator.
export async function createUser(page, mode, url, username, role, password = 'a long enough password') {
  await page.goto(`${url}/admin`);
  await ready(page, mode);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Create user' }).click();
  await page.locator('tr[data-user]').filter({ hasText: username }).first().waitFor();
}

/// One server and one browser for a test file: started before its tests, stopped after them.
export function serverAndBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
