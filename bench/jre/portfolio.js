// Read an endorse-portfolio/1 document (../../../shared/spec/portfolio.md)
// into the plain object the facts work on: dates as day numbers (null:
// absent or ongoing), hours in hundredths (as src/portfolio.c: exact sums),
// the spec's defaults filled in.  This is the JS counterpart of
// portfolio_parse(), and like it is not timed by the benchmark.  Validation
// is minimal: the input is the generator's, which the C reader accepts.
import { parseDate } from './civil.js';

const date = (s) => (s === undefined || s === null ? null : parseDate(s));
const centi = (h) => Math.round(h * 100);	// llround(h * 100), h >= 0

export function readPortfolio(doc) {
	if (doc.format !== 'endorse-portfolio/1')
		throw new Error(`format: ${JSON.stringify(doc.format)}`);
	if (doc.as_of === undefined)
		throw new Error('as_of is required here');
	const period = (o) => ({ start: date(o.start), end: date(o.end) });
	return {
		association: doc.association,
		category: doc.category,
		as_of: date(doc.as_of),
		ethics_signed: date(doc.ethics_signed),
		membership: (doc.membership ?? []).map(period),
		education: (doc.education ?? []).map((e) => ({
			level: e.level,
			conferred: date(e.conferred),
			transcript: e.transcript === true,
		})),
		work: (doc.work ?? []).map((w) => ({
			...period(w),
			paid: w.paid === true,
			supervised: w.supervised === true,
			licensed: w.licensed === true,
			ages: w.ages,
			service: w.service,
			families: w.families ?? 0,
		})),
		training: (doc.training ?? []).map((t) => ({
			date: date(t.date),
			hours: centi(t.hours),
			topics: t.topics ?? [],
			role: t.role ?? 'attended',
		})),
		rsc_received: (doc.rsc_received ?? []).map((r) => ({
			start: date(r.date ?? r.start),
			end: r.date !== undefined ? date(r.date) : date(r.end),
			hours: centi(r.hours),
			format: r.format,
			focus: r.focus ?? 'practice',
			provider_endorsements: r.provider_endorsements ?? [],
		})),
		rsc_provided: (doc.rsc_provided ?? []).map((r) => ({
			...period(r),
			recipients: r.recipients ?? 1,
		})),
		leadership: (doc.leadership ?? []).map((l) => ({
			...period(l),
			paid: l.paid === true,
			level: l.level ?? null,
		})),
		references: (doc.references ?? []).map((r) => ({
			relationship: r.relationship,
			status: r.status,
			endorsements: r.endorsements ?? [],
		})),
		exam: (doc.exam ?? []).map((e) => ({
			date: date(e.date),
			result: e.result,
		})),
		endorsements: (doc.endorsements ?? []).map((e) => ({
			association: e.association,
			category: e.category,
			since: date(e.since),
		})),
	};
}
