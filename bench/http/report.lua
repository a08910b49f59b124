-- wrk script of `bench/run http`: at the end of a run, the exact figures
-- as "wrk.NAME: VALUE" lines (bench/http/run reads them), not wrk's
-- rounded summary.  Latencies are wrk's per-request figures, microseconds.
-- No request() or response() function: wrk keeps its fast path (a Lua
-- response() would make wrk parse every body and slow the client down).

done = function(summary, latency, requests)
	local e = summary.errors
	local out = {
		{ "requests", summary.requests },
		{ "duration_us", summary.duration },
		{ "bytes", summary.bytes },
		{ "errors_connect", e.connect },
		{ "errors_read", e.read },
		{ "errors_write", e.write },
		{ "errors_status", e.status },
		{ "errors_timeout", e.timeout },
		{ "latency_mean_us", latency.mean },
		{ "latency_max_us", latency.max },
		{ "latency_p50_us", latency:percentile(50) },
		{ "latency_p90_us", latency:percentile(90) },
		{ "latency_p99_us", latency:percentile(99) },
		{ "latency_p999_us", latency:percentile(99.9) },
	}
	for _, kv in ipairs(out) do
		io.write(string.format("wrk.%s: %.3f\n", kv[1], kv[2]))
	end
end
