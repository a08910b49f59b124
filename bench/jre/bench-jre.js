#!/usr/bin/env node
// The json-rules-engine side of `bench/run rules`.
//
//   node bench-jre.js PORTFOLIOS.jsonl C_VERDICTS [REPS]
//
// Reads every portfolio first (JSON.parse and portfolio.js: not timed), builds
// one Engine with the IFS and IMHS rules (vaimh-rules.json) and the facts
// (facts.js), then:
// - the rules must name the requirements of the rule file, in its order
//   (C_VERDICTS, from bench-rules, starts with "# CODE ID..." lines);
// - one untimed pass compares with the C engine's verdicts (C_VERDICTS:
//   "E BITS" per portfolio, BITS the requirements in rule-file order, the
//   order of the rule's conditions after "category"): the eligible verdicts
//   and, to catch differences that the verdict hides, every requirement;
// - REPS timed passes (default 3; bench/rules/run asks for 5) run the
//   engine on every portfolio, one after the other (await each run), timing
//   only engine.run().
// Prints the median pass as metric lines, and the disagreements; exits 1 if
// any verdict or requirement disagrees.
import { readFileSync } from 'node:fs';
import { Engine } from 'json-rules-engine';
import { addFacts } from './facts.js';
import { readPortfolio } from './portfolio.js';

const [file, cfile, repsArg] = process.argv.slice(2);
if (!file || !cfile) {
	console.error('usage: bench-jre.js PORTFOLIOS.jsonl C_VERDICTS [REPS]');
	process.exit(2);
}
const reps = Math.max(1, +(repsArg ?? 3));

// Not timed: reading and parsing.
const portfolios = [];
{
	const buf = readFileSync(file);
	let pos = 0;
	while (pos < buf.length) {
		let nl = buf.indexOf(10, pos);
		if (nl < 0)
			nl = buf.length;
		if (nl > pos)
			portfolios.push(readPortfolio(JSON.parse(buf.toString('utf8',
			    pos, nl))));
		pos = nl + 1;
	}
}
const n = portfolios.length;
const clines = readFileSync(cfile, 'utf8').split('\n').filter((l) =>
    l !== '');
const cv = clines.filter((l) => l[0] !== '#').map((l) => l.split(' '));
const creqs = new Map(clines.filter((l) => l[0] === '#').map((l) => {
	const [, code, ...ids] = l.split(' ');
	return [code, ids];
}));
if (cv.length !== n) {
	console.error(`bench-jre: ${n} portfolios but ${cv.length} C verdicts`);
	process.exit(2);
}

const rules = JSON.parse(readFileSync(new URL('./vaimh-rules.json',
    import.meta.url), 'utf8'));
// The rules here must be those of the rule file: the same requirements, in
// the same order (then the verdicts check the rest).
for (const r of rules) {
	const names = r.conditions.all.map((c) => c.name).filter((x) =>
	    x !== 'category').join(' ');
	const ids = (creqs.get(r.name) ?? []).join(' ');
	if (names !== ids) {
		console.error(`bench-jre: ${r.name}: the rule file requires ` +
		    `"${ids}", vaimh-rules.json "${names}": update ` +
		    'bench/jre/vaimh-rules.json and facts.js');
		process.exit(1);
	}
}
const engine = new Engine(rules, { allowUndefinedFacts: false });
addFacts(engine);
const run = (p) => engine.run({ portfolio: p, category: p.category });

// Untimed: agreement with the C engine.
const verdict = new Uint8Array(n);
let disagree = 0, reqDisagree = 0, eligible = 0;
for (let i = 0; i < n; i++) {
	const p = portfolios[i];
	const r = await run(p);
	verdict[i] = r.events.length > 0 ? 1 : 0;
	eligible += verdict[i];
	const rr = [...r.results, ...r.failureResults].find((x) =>
	    x.name === p.category);
	if (rr === undefined) {
		console.error(`bench-jre: no rule for category ${p.category}`);
		process.exit(2);
	}
	const conds = rr.conditions.all.filter((c) => c.name !== 'category');
	const bits = conds.map((c) => (c.result ? '1' : '0')).join('');
	const [ce, cbits] = cv[i];
	if (+ce !== verdict[i]) {
		if (disagree < 10)
			console.error(`bench-jre: portfolio ${i + 1} (${p.category}): ` +
			    `C eligible=${ce}, JRE eligible=${verdict[i]}`);
		disagree++;
	}
	if (cbits.length !== bits.length) {
		console.error(`bench-jre: portfolio ${i + 1}: C has ` +
		    `${cbits.length} requirements, the JRE rule ${bits.length}`);
		process.exit(2);
	}
	for (let k = 0; k < bits.length; k++)
		if (bits[k] !== cbits[k]) {
			if (reqDisagree < 10)
				console.error(`bench-jre: portfolio ${i + 1} ` +
				    `(${p.category}): requirement ${conds[k].name}: ` +
				    `C met=${cbits[k]}, JRE met=${bits[k]} ` +
				    `(fact ${conds[k].fact} = ` +
				    `${JSON.stringify(conds[k].factResult)})`);
			reqDisagree++;
		}
}

// Timed: engine.run() only.
const passNs = [];
const check = new Uint8Array(n);
for (let k = 0; k < reps; k++) {
	const t0 = process.hrtime.bigint();
	for (let i = 0; i < n; i++) {
		const r = await run(portfolios[i]);
		check[i] = r.events.length > 0 ? 1 : 0;
	}
	const t1 = process.hrtime.bigint();
	passNs.push(Number(t1 - t0));
	for (let i = 0; i < n; i++)
		if (check[i] !== verdict[i]) {
			console.error(`bench-jre: portfolio ${i + 1}: verdict ` +
			    'changed between passes');
			process.exit(1);
		}
	console.error(`bench-jre: pass ${k + 1}: ` +
	    `${(passNs[k] / n).toFixed(0)} ns/eval`);
}
passNs.sort((a, b) => a - b);
const median = reps % 2 ? passNs[(reps - 1) / 2] :
    (passNs[reps / 2 - 1] + passNs[reps / 2]) / 2;

console.log(`rules.jre_eligible: ${(100 * eligible / n).toFixed(1)} %`);
console.log(`rules.jre_ns_per_eval: ${(median / n).toFixed(0)} ns`);
console.log(`rules.jre_evals_per_s: ${(n / (median / 1e9)).toFixed(0)} evals/s`);
console.log(`rules.disagreements: ${disagree} portfolios`);
console.log(`rules.requirement_disagreements: ${reqDisagree} requirements`);
process.exit(disagree > 0 || reqDisagree > 0 ? 1 : 0);
