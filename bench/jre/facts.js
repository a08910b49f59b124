// The computed facts the vaimh rules need, as an integrator would write them
// for json-rules-engine: each fact is a function of the portfolio (the
// runtime fact "portfolio", see portfolio.js) and of the condition's params;
// the rules (vaimh-rules.json) compare the facts to the thresholds.
//
// The semantics are those of src/rules-eval.c, exactly:
// - nothing dated after as_of counts; an ongoing or later end is as_of
//   (and such an entry's hours count whole);
// - "after LEVEL": the cut-off is the earliest conferral (on or before
//   as_of) of a degree of that level or higher; entries ending before it do
//   not count; where no such degree is on record no cut-off is applied (the
//   degree requirement fails on its own);
// - hours in a span: entries partly before the cut-off count the share of
//   their hours after it (by days, truncated to hundredths) and start at the
//   cut-off; then the best window of spanMax months starting at an entry's
//   start (entries sorted by start, then by position) sums the hours of the
//   entries from that one on that lie wholly inside it; a window is valid
//   when its entries reach spanMin months (last end >= start + spanMin months
//   - 1 day); the fact is the largest sum of a valid window, else 0;
// - experience: entries clipped to the cut-off, merged (overlaps count
//   once), in days; two years are 24 months of 365/12 days: 730 days;
// - references: each slot filled by a different completed rating (of the
//   first 100) whose relationship the slot allows, one of them by a rater
//   holding an endorsement of the list.
import { addMonths } from './civil.js';

export const LEVEL = { cda: 1, associate: 2, bachelor: 3, master: 4,
	doctorate: 5 };

const portfolio = (almanac) => almanac.factValue('portfolio');
const clampEnd = (end, asOf) => (end === null || end > asOf ? asOf : end);
const anyOf = (have, want) => have.some((c) => want.includes(c));

// cut[l]: earliest conferral of a degree of level l or higher, or null.
async function degreeCutoffs(params, almanac) {
	const p = await portfolio(almanac);
	const cut = [null, null, null, null, null, null];
	for (const e of p.education) {
		if (e.conferred > p.as_of)
			continue;
		for (let l = 0; l <= LEVEL[e.level]; l++)
			if (cut[l] === null || e.conferred < cut[l])
				cut[l] = e.conferred;
	}
	return cut;
}

async function cutoff(almanac, after) {
	if (after === undefined)
		return null;
	return (await almanac.factValue('degreeCutoffs'))[LEVEL[after]];
}

// A degree of params.atLeast or higher conferred by as_of.
async function hasDegree(params, almanac) {
	const p = await portfolio(almanac);
	return p.education.some((e) => e.conferred <= p.as_of &&
	    LEVEL[e.level] >= LEVEL[params.atLeast]);
}

// An official transcript on file for a degree of params.atLeast or higher
// conferred by as_of; true too when there is no such degree yet (the
// engine leaves that to the degree requirement: one missing degree, one
// reason).
async function transcriptsOnFile(params, almanac) {
	const p = await portfolio(almanac);
	let any = false;
	for (const e of p.education) {
		if (e.conferred > p.as_of ||
		    LEVEL[e.level] < LEVEL[params.atLeast])
			continue;
		if (e.transcript)
			return true;
		any = true;
	}
	return !any;
}

// Training hours by role (params.roles), dated by as_of.
async function trainingHours(params, almanac) {
	const p = await portfolio(almanac);
	let sum = 0;
	for (const t of p.training)
		if (params.roles.includes(t.role) && t.date <= p.as_of)
			sum += t.hours;
	return sum / 100;
}

// RSC hours received in the best window: params.formats, params.providers
// (one of the provider's endorsements), params.after (degree level),
// params.spanMonths [min, max].
async function rscHoursInBestSpan(params, almanac) {
	const p = await portfolio(almanac);
	const cut = await cutoff(almanac, params.after);
	const [spanMin, spanMax] = params.spanMonths;
	const v = [];
	p.rsc_received.forEach((s, index) => {
		if (!params.formats.includes(s.format) ||
		    !anyOf(s.provider_endorsements, params.providers) ||
		    s.start > p.as_of)
			return;
		const end = clampEnd(s.end, p.as_of);
		let start = s.start, hours = s.hours;
		if (cut !== null) {
			if (end < cut)
				return;
			if (start < cut) {
				hours = Math.trunc(hours * (end - cut + 1) /
				    (end - start + 1));
				start = cut;
			}
		}
		v.push({ index, start, end, hours });
	});
	v.sort((a, b) => a.start - b.start || a.index - b.index);
	let best = 0;
	for (let i = 0; i < v.length; i++) {
		const wend = addMonths(v[i].start, spanMax) - 1;
		if (v[i].end > wend)
			continue;
		let sum = 0, last = v[i].end;
		for (let j = i; j < v.length; j++) {
			if (v[j].end > wend)
				continue;
			sum += v[j].hours;
			if (v[j].end > last)
				last = v[j].end;
		}
		if (last >= addMonths(v[i].start, spanMin) - 1 && sum > best)
			best = sum;
	}
	return best / 100;
}

// Days of work (merged calendar time): params.paid, params.supervised
// (true: required), params.services, params.ages, params.after.
async function workDays(params, almanac) {
	const p = await portfolio(almanac);
	const cut = await cutoff(almanac, params.after);
	const v = [];
	for (const w of p.work) {
		if ((params.paid && !w.paid) ||
		    (params.supervised && !w.supervised) ||
		    !params.services.includes(w.service) ||
		    !anyOf(w.ages, params.ages) || w.start > p.as_of)
			continue;
		const end = clampEnd(w.end, p.as_of);
		if (cut !== null && end < cut)
			continue;
		v.push({ start: cut !== null && w.start < cut ? cut : w.start,
		    end });
	}
	v.sort((a, b) => a.start - b.start);
	let days = 0, s = null, e = null;
	for (const x of v) {
		if (s !== null && x.start <= e + 1) {
			if (x.end > e)
				e = x.end;
			continue;
		}
		if (s !== null)
			days += e - s + 1;
		s = x.start;
		e = x.end;
	}
	if (s !== null)
		days += e - s + 1;
	return days;
}

// Families served in work of params.services with params.ages.
async function familiesServed(params, almanac) {
	const p = await portfolio(almanac);
	let sum = 0;
	for (const w of p.work)
		if (params.services.includes(w.service) &&
		    anyOf(w.ages, params.ages) && w.start <= p.as_of)
			sum += w.families;
	return sum;
}

async function membershipActive(params, almanac) {
	const p = await portfolio(almanac);
	return p.membership.some((m) => m.start <= p.as_of &&
	    (m.end === null || m.end >= p.as_of));
}

async function ethicsSigned(params, almanac) {
	const p = await portfolio(almanac);
	return p.ethics_signed !== null && p.ethics_signed <= p.as_of;
}

// The latest exam by as_of (the later entry on the same day) was passed.
async function latestExamPassed(params, almanac) {
	const p = await portfolio(almanac);
	let latest = null;
	for (const e of p.exam)
		if (e.date <= p.as_of && (latest === null ||
		    e.date >= latest.date))
			latest = e;
	return latest !== null && latest.result === 'pass';
}

// params.slots: one list of relationships per slot; params.endorsed: the
// endorsements one rater in the match must hold.
async function referencesComplete(params, almanac) {
	const p = await portfolio(almanac);
	const refs = p.references.slice(0, 100).filter((r) =>
	    r.status === 'completed');
	const used = new Array(refs.length).fill(false);
	const fill = (slot, endorsed) => {
		if (slot === params.slots.length)
			return endorsed;
		for (let i = 0; i < refs.length; i++) {
			if (used[i] ||
			    !params.slots[slot].includes(refs[i].relationship))
				continue;
			used[i] = true;
			const ok = fill(slot + 1, endorsed ||
			    anyOf(refs[i].endorsements, params.endorsed));
			used[i] = false;
			if (ok)
				return true;
		}
		return false;
	};
	return fill(0, false);
}

export function addFacts(engine) {
	engine.addFact('degreeCutoffs', degreeCutoffs);
	engine.addFact('hasDegree', hasDegree);
	engine.addFact('transcriptsOnFile', transcriptsOnFile);
	engine.addFact('trainingHours', trainingHours);
	engine.addFact('rscHoursInBestSpan', rscHoursInBestSpan);
	engine.addFact('workDays', workDays);
	engine.addFact('familiesServed', familiesServed);
	engine.addFact('membershipActive', membershipActive);
	engine.addFact('ethicsSigned', ethicsSigned);
	engine.addFact('latestExamPassed', latestExamPassed);
	engine.addFact('referencesComplete', referencesComplete);
}
