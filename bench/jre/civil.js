// Calendar arithmetic on day numbers (days since 1970-01-01), the same
// algorithms as src/util.c (Howard Hinnant's days_from_civil/civil_from_days
// and date_add_months clamping to the month's end), so that the JS rules and
// the benchmark generator count days exactly as the engine does.

export function daysFromCivil(y, m, d) {
	y -= m <= 2 ? 1 : 0;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

export function civilFromDays(z) {
	z += 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) +
	    Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
	const y = yoe + era * 400;
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const m = mp < 10 ? mp + 3 : mp - 9;
	return [y + (m <= 2 ? 1 : 0), m, d];
}

function daysInMonth(y, m) {
	if (m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0))
		return 29;
	return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

// "YYYY-MM-DD" to a day number; throws on anything else.
export function parseDate(s) {
	if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s))
		throw new Error(`not a date: ${JSON.stringify(s)}`);
	const y = +s.slice(0, 4), m = +s.slice(5, 7), d = +s.slice(8, 10);
	if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m))
		throw new Error(`not a date: ${s}`);
	return daysFromCivil(y, m, d);
}

export function formatDate(day) {
	const [y, m, d] = civilFromDays(day);
	return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-` +
	    `${String(d).padStart(2, '0')}`;
}

// The same day N months later, clamped to the month's end.
export function addMonths(day, months) {
	let [y, m, d] = civilFromDays(day);
	m += months;
	y += Math.floor((m - 1) / 12);
	m = (((m - 1) % 12) + 12) % 12 + 1;
	const dim = daysInMonth(y, m);
	return daysFromCivil(y, m, d > dim ? dim : d);
}
