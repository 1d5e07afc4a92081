-- applications.lua - the wrk script of tests/bench/applications.sh: every request submits a
-- different draft application, as its own candidate. The drafts come from the file named by
-- BENCH_DRAFTS, one per line: "application_id session_token csrf_token"; thread t of the
-- BENCH_THREADS threads takes lines t, t + BENCH_THREADS, ... wrk runs twice (warm-up, then
-- measurement): the file named by BENCH_OFFSET holds the first line no earlier run has handed
-- out (written by done()), so that no draft is submitted twice. A thread that runs out of
-- drafts repeats its last one, which the portal answers without a transaction: applications.sh
-- then finds no draft left and fails, asking for more.

local threads = {}

function setup(thread)
	thread:set("tid", #threads)
	thread:set("last_line", -1)
	threads[#threads + 1] = thread
end

-- The first line earlier runs did not hand out (0 when none ran).
local function offset()
	local f = io.open(os.getenv("BENCH_OFFSET"), "r")
	local n = 0
	if f ~= nil then
		n = tonumber(f:read("*l")) or 0
		f:close()
	end
	return n
end

function init(args)
	local nthreads = tonumber(os.getenv("BENCH_THREADS"))
	local first = offset()
	local n = 0
	drafts = {}
	for line in io.lines(os.getenv("BENCH_DRAFTS")) do
		if n >= first and n % nthreads == tid then
			local id, token, csrf = line:match("^(%d+) (%S+) (%S+)$")
			drafts[#drafts + 1] = { id, token, csrf, n }
		end
		n = n + 1
	end
	next_draft = 0
end

function request()
	if next_draft < #drafts then
		next_draft = next_draft + 1
	end
	local d = drafts[next_draft]
	last_line = d[4]
	return wrk.format("POST", "/account/applications/" .. d[1] .. "/submit", {
		["Cookie"] = "__Host-session=" .. d[2],
		["Content-Type"] = "application/x-www-form-urlencoded",
	}, "csrf_token=" .. d[3])
end

-- Records the line after the last one any thread handed out.
function done(summary, latency, requests)
	local next_line = offset()
	for _, thread in ipairs(threads) do
		next_line = math.max(next_line, thread:get("last_line") + 1)
	end
	local f = io.open(os.getenv("BENCH_OFFSET"), "w")
	f:write(string.format("%d\n", next_line))
	f:close()
end
