// The HTTP tests, run by tests/http/run against a live server (see
// common.mjs for the environment).  Each part prints its ok / not ok lines.
import { counts } from '../lib/client.mjs';
import { setup } from './common.mjs';

async function main() {
	await setup();
	for (const p of ['accounts', 'portfolio', 'api', 'access', 'registry', 'exam', 'review', 'together', 'integrity',
	    'verified', 'conflict', 'jrater', 'jrenewal', 'jerrors', 'jsubmit', 'jwords', 'jfeatures', 'reports', 'exports', 'nudge', 'jdates', 'jtrainings', 'jemail', 'desk', 'roster', 'people', 'money', 'revoke', 'vc', 'pages', 'limits', 'auth']) {
		const mod = await import(`./t-${p}.mjs`);
		await mod.run();
	}
	const { pass, fail } = counts();
	console.log(`# http: ${pass} passed, ${fail} failed`);
}

main().catch((e) => {
	console.log('not ok - http: test client crashed');
	console.log('#   ' + String(e && e.stack ? e.stack : e).split('\n').join('\n#   '));
	process.exit(1);
});
