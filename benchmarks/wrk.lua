-- Closed-loop load for `make bench` (benchmarks/wrk.py writes the data file and reads what done() prints).
--
-- One wrk thread per simulated person, each with one connection: the same shape as Locust's closed-loop
-- users (the next request leaves when the previous answer has arrived), at a fraction of the load
-- generator's CPU. A person keeps their own cookies and picks each request at random from their own list,
-- as benchmarks/locustfile.py does (an applicant sends their form bodies in turn). Any answer other than 200 (or an autosave that answers with an error)
-- counts as an error; wrk's own socket errors and timeouts are added to it.

local data_file = os.getenv("BENCH_WRK_DATA")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("person", counter)
  table.insert(threads, thread)
end

local requests = {}
local reject = nil
local typing = false
local turn = 0
-- A global: done() reads it from each thread with thread:get().
failures = 0

function init(args)
  local people = dofile(data_file)
  local me = people[((person - 1) % #people) + 1]
  math.randomseed(person * 7919)
  for _, url in ipairs(me.urls) do
    if me.bodies then
      for _, body in ipairs(me.bodies) do
        table.insert(requests, wrk.format(me.method, url, me.headers, body))
      end
    else
      table.insert(requests, wrk.format(me.method, url, me.headers))
    end
  end
  reject = me.reject
  typing = me.bodies ~= nil
end

function request()
  if typing then
    -- An applicant typing: the bodies in turn, so every save changes the draft.
    turn = turn % #requests + 1
    return requests[turn]
  end
  return requests[math.random(#requests)]
end

function response(status, headers, body)
  if status ~= 200 or (reject and body and string.find(body, reject, 1, true)) then
    failures = failures + 1
  end
end

function done(summary, latency, requests_)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + (thread:get("failures") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK-RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "failures": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, failed,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
