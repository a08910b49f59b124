// What the browser walks share (tests/e2e/walk.mjs and each journey,
// tests/e2e/j-*.mjs): the ok / not ok lines and their counts, steps and
// checks, a page arrived at (screenshot, axe-core, no server error), a
// page that must not scroll sideways, people in browser contexts of their
// own (registered, logged in, the coordinator, a rater behind a link).
// Environment: as tests/e2e/walk.mjs says.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const BASE = process.env.E2E_BASE;
export const OUT = process.env.E2E_OUT;
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 780 };
// The journeys' two sizes, and the narrowest a page must fit.
export const SIZES = [DESKTOP, { width: 375, height: 812 }];
export const NARROW = { width: 320, height: 640 };

let failed = 0;
let passed = 0;
let shot = 0;
export function tally() { return { passed, failed, shot }; }

export function ok(name) {
	passed++;
	console.log(`ok - e2e: ${name}`);
}
export function notOk(name, why) {
	failed++;
	console.log(`not ok - e2e: ${name}`);
	for (const line of String(why).replace(/\x1b\[[0-9;]*m/g, '')
	    .split('\n'))
		console.log(`#   ${line}`);
}
// A step of the walk: if it fails, the walk cannot go on.
export class Stop extends Error {}
export async function step(name, fn) {
	try {
		await fn();
		ok(name);
	} catch (e) {
		notOk(name, e instanceof Check ? e.message : (e && e.stack) || e);
		throw new Stop(name);
	}
}
// A check of its own: reported, but the walk goes on.
export async function check(name, fn) {
	try {
		await fn();
		ok(name);
	} catch (e) {
		notOk(name, e instanceof Check ? e.message : (e && e.stack) || e);
	}
}
// A failed expectation; its message is enough.
export class Check extends Error {}
export function expect(cond, msg) {
	if (!cond)
		throw new Check(msg);
}


const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// A labelled control of a form, optional or not.
export function control(scope, label) {
	return scope.getByLabel(new RegExp(`^${esc(label)}( \\(optional\\))?$`));
}


// A tiny valid PDF: one empty page, with a correct cross-reference table.
export function tinyPdf() {
	const objs = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] ' +
		    '/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		null,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	const text = 'BT /F1 12 Tf 20 50 Td (Transcript: BSW, 2015) Tj ET';
	objs[3] = `<< /Length ${text.length} >>\nstream\n${text}\nendstream`;
	let pdf = '%PDF-1.4\n';
	const offs = [];
	objs.forEach((o, i) => {
		offs.push(pdf.length);
		pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = pdf.length;
	pdf += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
	for (const o of offs)
		pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
	pdf += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\n` +
	    `startxref\n${xref}\n%%EOF\n`;
	return Buffer.from(pdf, 'latin1');
}


// ------------------------------------------------------ pages, axe, shots
const serverErrors = [];

export function watch(page) {
	page.on('response', (r) => {
		if (r.status() >= 500)
			serverErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
	});
	page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
}

export async function screenshot(page, name) {
	shot++;
	const file = path.join(OUT, `${String(shot).padStart(2, '0')}-${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
}

// axe-core on the page as it is now; serious and critical fail.
const axeSeen = new Map();
export async function axe(page, name) {
	const label = `axe: ${name}`;
	let res;
	try {
		// Evaluated through the DevTools protocol: the page's CSP does
		// not apply, nothing is added to the page.
		if (!(await page.evaluate('typeof window.axe === "object"')))
			await page.evaluate(AXE);
		// axe's defaults, plus WCAG 2.2's target size (off by default):
		// the pages must work on a phone.
		res = await page.evaluate(async () => window.axe.run(document, {
			resultTypes: ['violations'],
			rules: { 'target-size': { enabled: true } },
		}));
	} catch (e) {
		notOk(label, `axe did not run: ${e.message}`);
		return;
	}
	const bad = [];
	const lines = [];
	for (const v of res.violations) {
		const serious = v.impact === 'serious' || v.impact === 'critical';
		if (serious)
			bad.push(v);
		for (const n of v.nodes) {
			const key = `${v.id} ${n.target.join(' ')}`;
			const first = !axeSeen.has(key);
			if (first)
				axeSeen.set(key, name);
			lines.push(`${serious ? 'FAIL' : 'note'} ${v.id} ` +
			    `(${v.impact}): ${n.target.join(' ')}` +
			    (first ? `\n    ${v.help}; ${v.helpUrl}\n    ` +
			    `${n.html.slice(0, 200)}\n    ` +
			    `${(n.failureSummary || '').replace(/\n\s*/g, ' ')}` :
			    ` (also on ${axeSeen.get(key)})`));
		}
	}
	if (bad.length > 0)
		notOk(label, lines.join('\n'));
	else {
		ok(label);
		for (const l of lines)
			console.log(`#   ${l.split('\n').join('\n#   ')}`);
	}
}

// After every page load: a screenshot, axe, no server error.
const TIMING = process.env.E2E_TIMING === '1';
let tLast = Date.now();
export async function arrived(page, name) {
	const t0 = Date.now();
	await page.waitForLoadState('load');
	const t1 = Date.now();
	await screenshot(page, name);
	const t2 = Date.now();
	await axe(page, `${name} (${page.viewportSize().width} px)`);
	if (TIMING)
		console.log(`# time ${name}: before ${t0 - tLast} ms, load ` +
		    `${t1 - t0}, shot ${t2 - t1}, axe ${Date.now() - t2}`);
	tLast = Date.now();
	if (serverErrors.length > 0) {
		const e = serverErrors.splice(0);
		throw new Check(`server error: ${e.join(', ')}`);
	}
}

export async function checklist(page) {
	const box = page.locator('section.checklist');
	const verdict = (await box.locator('.verdict').first().innerText()).trim();
	const heading = (await box.locator('h2').first().innerText()).trim();
	const unmet = (await box.locator('ul.reqs > li.req.unmet > .req-line')
	    .allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
	return { verdict, heading, unmet };
}


// A browser context of its own (no cookies), desktop-sized, watched.
export async function freshPage(browser) {
	const ctx = await browser.newContext({ viewport: DESKTOP });
	ctx.setDefaultTimeout(10000);
	const page = await ctx.newPage();
	watch(page);
	return { ctx, page };
}

// A rater with no account answers the form behind a private link;
// `unknown` items get "Not enough information to rate".
export async function raterAnswers(browser, link, name, unknown = 0) {
	const { ctx: rc, page: rp } = await freshPage(browser);
	await rp.goto(link);
	await arrived(rp, `${name}-form`);
	const often = rp.getByRole('radio', { name: 'Often', exact: true });
	const k = await often.count();
	expect(k >= 6, `the form shows ${k} items`);
	const none = rp.getByRole('radio', { name: 'Not enough information to rate', exact: true });
	for (let j = 0; j < k; j++)
		await (j < unknown ? none : often).nth(j).check();
	await rp.getByLabel('I recommend', { exact: true }).check();
	await rp.getByRole('button', { name: 'Send the rating' }).click();
	// A form that will not count is sent only once the rater is warned.
	await rp.getByRole('heading', { name: /^(Thank you|This form will not count)$/ }).waitFor();
	if (await rp.getByRole('button', { name: /^Send anyway/ }).count() > 0) {
		await arrived(rp, `${name}-void-warning`);
		await rp.getByRole('button', { name: /^Send anyway/ }).click();
		await rp.getByRole('heading', { name: 'Thank you' }).waitFor();
	}
	await arrived(rp, `${name}-done`);
	const again = await rp.goto(link);
	expect(again.status() === 410, `the used link answered ${again.status()}`);
	await rc.close();
}

// The vaimh coordinator, logged in in a context of their own.
export async function coordinator(browser) {
	const log = fs.readFileSync(process.env.E2E_SERVER_LOG, 'utf8');
	const cm = log.match(/^coordinator for vaimh created: log in as (\S+) with password (\S+) /m);
	expect(cm, 'the server printed no vaimh coordinator');
	return someone(browser, cm[1], cm[2], '/coordinator');
}

// The coordinator K takes the link of the first open request of
// application app to hand to its rater (shown once, on their page only).
export async function handOver(K, app, shot) {
	await K.page.goto(`${BASE}/coordinator/applications/${app}`);
	await K.page.getByRole('button', { name: /^Take a link to hand to the rater/ }).first().click();
	await K.page.waitForURL(/\/ratings\/\d+\/link$/);
	if (shot) await arrived(K.page, shot);
	const link = await K.page.getByLabel("The rater's private link").inputValue();
	expect(/\/rate\/[0-9a-f]{64}$/.test(link), `no rater link: ${link}`);
	return link;
}

// Someone in a browser context of their own, logged in.
export async function someone(browser, email, password, home) {
	const { ctx, page } = await freshPage(browser);
	await page.goto(`${BASE}/login`);
	const form = page.locator('form[action="/login"]');
	await control(form, 'E-mail').fill(email);
	await control(form, 'Password').fill(password);
	await form.getByRole('button', { name: 'Log in' }).click();
	await page.waitForURL(`**${home}`);
	return { ctx, page };
}

export async function registerIn(browser, name, email, password) {
	const { ctx, page } = await freshPage(browser);
	await page.goto(`${BASE}/register`);
	const form = page.locator('form[action="/register"]');
	await control(form, 'Your name').fill(name);
	await control(form, 'E-mail').fill(email);
	await control(form, 'Password').fill(password);
	await control(form, 'Association you apply with').selectOption(
	    { label: 'Virginia Association for Infant Mental Health' });
	await form.getByRole('button', { name: 'Create the account' }).click();
	await page.waitForURL('**/login?registered=1');
	const login = page.locator('form[action="/login"]');
	await control(login, 'E-mail').fill(email);
	await control(login, 'Password').fill(password);
	await login.getByRole('button', { name: 'Log in' }).click();
	await page.waitForURL('**/dashboard');
	return { ctx, page };
}

// Whether the page fits its window: nothing scrolls sideways.
export async function fits(page) {
	const w = await page.evaluate(() => [
	    document.documentElement.scrollWidth, window.innerWidth]);
	expect(w[0] <= w[1], `the page scrolls sideways: ` +
	    `${w[0]} px of content in a ${w[1]} px window`);
}

// The page at url seen at 320 px wide in a context with the cookies of
// state (a logged-in person's), or none: it must not scroll sideways.
export async function fitsNarrow(browser, state, url) {
	const ctx = await browser.newContext({ viewport: NARROW, isMobile: true,
	    hasTouch: true, deviceScaleFactor: 1, storageState: state });
	try {
		const page = await ctx.newPage();
		watch(page);
		const r = await page.goto(url);
		expect(r.ok(), `GET ${url} answered ${r.status()}`);
		await fits(page);
	} finally {
		await ctx.close();
	}
}

// An ISO day as people in the US write it, as the pages show it:
// "2026-01-01" -> "January 1, 2026".
export function usDate(iso) {
	const [y, m, d] = iso.split('-').map(Number);
	const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
	    'September', 'October', 'November', 'December'];
	return `${months[m - 1]} ${d}, ${y}`;
}
