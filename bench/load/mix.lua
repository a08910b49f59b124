-- wrk script of `bench/run load`: the mix of requests, and at the end the
-- exact figures as "wrk.NAME: VALUE" lines (bench/http/report.lua's) and
-- how many requests of each kind were sent ("mix.KIND: N").
--
--   wrk ... -s bench/load/mix.lua http://HOST:PORT -- DIR THREADS OFFSET
--
-- DIR holds what bench/load/run prepared through the real pages:
--   readers  "COOKIE APP_ID API_TOKEN" a line: logged-in applicants whose
--            dashboards and checklists are read (never written to)
--   writers  "COOKIE CSRF APP_ID" a line: logged-in applicants who save
--            training entries (a pool of their own, so that the pages
--            read do not grow during the run)
--   rater    "PRE_COOKIE CSRF": an anonymous form's cookie and token
--   tokens   rating-link tokens, one a line; each used once
-- THREADS is wrk's -t; OFFSET the first token of this run (the runs before
-- used those before it).  Thread T of THREADS takes tokens OFFSET + T,
-- OFFSET + T + THREADS, ...; its count of tokens used is reported as
-- "mix.tokens_max" (the largest over the threads) so that the next run
-- starts after them.  When a thread runs out of tokens it sends a
-- dashboard view instead and counts it in "mix.tokens_short" (the run is
-- then not trusted).
--
-- The kinds, in a fixed cycle of 20 per thread: d dashboard (8), c
-- checklist through the API (4), r registry search (4), s entry save (3),
-- t rater form submit (1).  Every connection waits for its answer before
-- the next request, so the mix of requests sent is the cycle's.
-- No response() function: wrk does not hand each answer to Lua (that
-- would slow the client); statuses >= 400 are wrk's errors.status.

local cycle = { "d", "c", "r", "s", "d", "r", "c", "d", "s", "d",
	"c", "r", "d", "t", "d", "r", "c", "d", "s", "d" }
local queries = { "Lee", "park", "IFS", "Richmond", "dana", "Nguyen",
	"IMHS", "norfolk", "Sam Roe", "Garcia", "ECFS", "Roanoke", "kim",
	"Quinn Smith", "IFA", "Arlington" }

local threads = {}
local nthreads_seen = 0

function setup(thread)
	thread:set("tid", nthreads_seen)
	nthreads_seen = nthreads_seen + 1
	table.insert(threads, thread)
end

local function lines(path)
	local t = {}
	local f = assert(io.open(path, "r"))
	for l in f:lines() do
		if l ~= "" then
			table.insert(t, l)
		end
	end
	f:close()
	return t
end

local function words(l)
	local t = {}
	for w in l:gmatch("%S+") do
		table.insert(t, w)
	end
	return t
end

local dash, check, reg, writers, tokens = {}, {}, {}, {}, nil
local rater_cookie, rater_csrf
local stride, next_tok, ntok
local i = 0
local saved = 0
local rated_body

function init(args)
	local dir = args[1]
	stride = tonumber(args[2])
	next_tok = tonumber(args[3]) + tid
	if args[4] ~= nil then	-- another cycle (BENCH_LOAD_CYCLE), to try
		cycle = {}
		for c in args[4]:gmatch("[dcrst]") do
			table.insert(cycle, c)
		end
	end
	for _, l in ipairs(lines(dir .. "/readers")) do
		local w = words(l)
		table.insert(dash, wrk.format("GET", "/dashboard",
		    { ["Cookie"] = "endorse_session=" .. w[1] }))
		table.insert(check, wrk.format("GET", "/api/v1/applications/" ..
		    w[2] .. "/checklist",
		    { ["Authorization"] = "Bearer " .. w[3] }))
	end
	for _, q in ipairs(queries) do
		table.insert(reg, wrk.format("GET", "/registry?q=" ..
		    q:gsub(" ", "+")))
	end
	for _, l in ipairs(lines(dir .. "/writers")) do
		table.insert(writers, words(l))
	end
	local r = words(lines(dir .. "/rater")[1])
	rater_cookie, rater_csrf = r[1], r[2]
	tokens = lines(dir .. "/tokens")
	ntok = #tokens
	local b = { "csrf=" .. rater_csrf, "action=rate", "recommend=yes",
		"comments=Thoughtful+work+with+families" }
	for k = 0, 14 do
		table.insert(b, "item" .. k .. "=" .. (1 + k % 4))
	end
	rated_body = table.concat(b, "&")
	-- the counters done() reads (numbers only cross threads)
	n_d, n_c, n_r, n_s, n_t, tokens_used, tokens_short = 0, 0, 0, 0, 0, 0, 0
end

function request()
	i = i + 1
	local k = cycle[(i - 1) % #cycle + 1]
	if k == "t" then
		if next_tok < ntok then
			local tok = tokens[next_tok + 1]
			next_tok = next_tok + stride
			tokens_used = tokens_used + 1
			n_t = n_t + 1
			return wrk.format("POST", "/rate/" .. tok, {
				["Cookie"] = "endorse_pre=" .. rater_cookie,
				["Content-Type"] =
				    "application/x-www-form-urlencoded" },
			    rated_body)
		end
		tokens_short = tokens_short + 1
		k = "d"
	end
	if k == "d" then
		n_d = n_d + 1
		return dash[(i + tid) % #dash + 1]
	elseif k == "c" then
		n_c = n_c + 1
		return check[(i + tid) % #check + 1]
	elseif k == "r" then
		n_r = n_r + 1
		return reg[(i + tid) % #reg + 1]
	end
	-- an entry save, the writers in turn (threads interleaved)
	n_s = n_s + 1
	local w = writers[(saved * stride + tid) % #writers + 1]
	saved = saved + 1
	local body = "csrf=" .. w[2] .. "&title=Load+training+" .. tid .. "-" ..
	    saved .. "&date=2024-0" .. (1 + saved % 9) .. "-1" .. (saved % 10) ..
	    "&hours=" .. (1 + saved % 8) .. ".5&topics=dei&role=attended"
	return wrk.format("POST", "/applications/" .. w[3] .. "/tab/training", {
		["Cookie"] = "endorse_session=" .. w[1],
		["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

-- bench/http/report.lua's done() prints the exact figures; this one adds
-- the mix's counts after them.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") ..
    "../http/report.lua")
local report = done
done = function(summary, latency, requests)
	report(summary, latency, requests)
	local sum = { d = 0, c = 0, r = 0, s = 0, t = 0, short = 0, max = 0 }
	for _, t in ipairs(threads) do
		sum.d = sum.d + t:get("n_d")
		sum.c = sum.c + t:get("n_c")
		sum.r = sum.r + t:get("n_r")
		sum.s = sum.s + t:get("n_s")
		sum.t = sum.t + t:get("n_t")
		sum.short = sum.short + t:get("tokens_short")
		if t:get("tokens_used") > sum.max then
			sum.max = t:get("tokens_used")
		end
	end
	io.write(string.format("mix.dashboard: %d\nmix.checklist: %d\n" ..
	    "mix.registry: %d\nmix.save: %d\nmix.rate: %d\n" ..
	    "mix.tokens_max: %d\nmix.tokens_short: %d\n", sum.d, sum.c, sum.r,
	    sum.s, sum.t, sum.max, sum.short))
end
