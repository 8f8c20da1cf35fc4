// Drives the console in headless Chromium (playwright-core, the machine's own browser) and prints, as
// JSON, what each page showed; the Java test compares it with Kafka. Input: a JSON file (argv[2]).
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const seen = {};
const browser = await chromium.launch({
  executablePath: input.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run'],
});
const shot = name => page.screenshot({ path: `${input.screenshots}/${name}.png`, fullPage: true });
const texts = locator => locator.evaluateAll(rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent)));
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.setDefaultTimeout(30000);
try {
  await page.goto(input.url);
  await page.getByTestId('login-key').waitFor();

  // a key without the admin scope is refused
  await page.getByTestId('login-key').fill(input.readOnlyKey);
  await page.getByTestId('login-submit').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=login-error]').textContent.length > 0);
  seen.readOnlyRefusal = await page.getByTestId('login-error').textContent();
  await shot('login-refused');

  await page.getByTestId('login-key').fill(input.adminKey);
  await page.getByTestId('login-submit').click();
  await page.waitForSelector('#nav:not([hidden])');

  // overview: totals, latencies and per-group lag, once the window has the workload in it
  await page.waitForFunction(n => Number(document.getElementById('total-submitted').textContent) >= n, input.submitted);
  await page.waitForFunction(() => document.querySelectorAll('#group-lag tr').length > 0);
  await page.waitForSelector('#chart circle');
  seen.overview = {};
  for (const k of ['submitted', 'succeeded', 'failed', 'retried', 'dead_lettered']) {
    seen.overview[k] = Number(await page.getByTestId('total-' + k).textContent());
  }
  seen.overview.p50 = await page.getByTestId('latency-p50').textContent();
  seen.overview.p99 = await page.getByTestId('latency-p99').textContent();
  seen.overview.groupLag = await texts(page.locator('#group-lag tr'));
  seen.overview.byType = await texts(page.locator('#by-type tr'));
  await shot('overview');

  // topics and tiers: one row per group, topic and partition
  await page.goto(input.url + '#topics');
  await page.waitForFunction(() => document.querySelectorAll('#topic-tables tbody tr').length > 0);
  seen.partitions = await page.locator('#topic-tables tbody tr').evaluateAll(rows => rows.map(r => ({
    group: r.parentElement.dataset.group, topic: r.dataset.topic, partition: Number(r.dataset.partition),
    cells: [...r.querySelectorAll('td')].map(td => td.textContent) })));
  await shot('topics');

  await page.goto(input.url + '#consumers');
  await page.waitForFunction(() => document.querySelectorAll('#consumer-groups h3').length > 0);
  seen.consumerGroups = await page.locator('#consumer-groups h3').allTextContents();
  seen.members = await page.locator('#consumer-groups tbody tr').evaluateAll(rows => rows.map(r => ({
    group: r.parentElement.dataset.group, cells: [...r.querySelectorAll('td')].map(td => td.textContent) })));
  await shot('consumers');

  // a task's state and timeline
  await page.goto(input.url + '#task');
  await page.getByTestId('task-id').fill(input.taskId);
  await page.getByTestId('task-lookup').click();
  await page.waitForSelector('[data-field=state]');
  seen.task = { state: await page.locator('[data-field=state]').textContent(),
    timeline: (await texts(page.locator('#task-timeline tr'))).map(cells => cells[1]) };
  await shot('task');

  // dead letters: list, inspect the undecodable one, replay one with a dry-run preview and a confirm
  await page.goto(input.url + '#dead-letters');
  await page.waitForFunction(n => document.querySelectorAll('#dl-rows tr').length >= n, input.deadLetters);
  seen.deadLetterCount = await page.getByTestId('dl-count').textContent();
  seen.deadLetterRefs = await page.locator('#dl-rows tr').evaluateAll(rows => rows.map(r => r.dataset.ref));
  await page.locator(`[data-inspect="${input.undecodableRef}"]`).click();
  await page.waitForFunction(() => document.getElementById('dl-inspect').textContent.includes('valueHex'));
  seen.inspected = JSON.parse(await page.getByTestId('dl-inspect').textContent());
  await page.locator(`input[data-ref="${input.replayRef}"]`).check();
  await page.getByTestId('dl-max-attempts').fill('3');
  await page.getByTestId('dl-replay-preview').click();
  await page.waitForSelector('#dl-preview:not([hidden])');
  seen.replayPreview = await page.getByTestId('dl-preview-text').textContent();
  await shot('dead-letters-preview');
  await page.getByTestId('dl-confirm').click();
  await page.waitForFunction(() => document.getElementById('dl-result').textContent.startsWith('replayed'));
  seen.replayResult = await page.getByTestId('dl-result').textContent();
  await shot('dead-letters');

  // a POST without the session's CSRF token is refused, even from the console's own origin
  seen.postWithoutCsrf = await page.evaluate(async () => (await fetch('/api/dead-letters/replay', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ all: true, execute: true }) })).status);

  await page.goto(input.url + '#audit');
  await page.waitForFunction(() => document.querySelectorAll('#audit-rows tr').length > 0);
  seen.audit = await texts(page.locator('#audit-rows tr'));
  await shot('audit');
} catch (e) {
  await shot('failure').catch(() => {});
  seen.error = String(e && e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
