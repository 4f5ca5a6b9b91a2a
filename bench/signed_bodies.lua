-- wrk script: POST pre-signed LINE webhook bodies, one per request, never reused.
-- usage: wrk -s bench/signed_bodies.lua URL -- BODIES_FILE THREADS [CLOSE_EVERY]
-- BODIES_FILE has one "signature<TAB>body" per line; thread k sends lines k, k+T, k+2T...
-- Every CLOSE_EVERY-th request asks the server to close, so gunicorn's threaded workers
-- get connections spread again (long keep-alive runs can pile them on one worker).
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local sigs, bodies, n, i, close_every = {}, {}, 0, 0, 0
exhausted = 0

function init(args)
  local path, count = args[1], tonumber(args[2])
  close_every = tonumber(args[3] or "0")
  local k = 0
  for line in io.lines(path) do
    if k % count == id - 1 then
      local tab = line:find("\t", 1, true)
      n = n + 1
      sigs[n] = line:sub(1, tab - 1)
      bodies[n] = line:sub(tab + 1)
    end
    k = k + 1
  end
end

function request()
  i = i + 1
  if i > n then
    -- Out of fresh bodies: resend the last (the server dedupes it); counted as exhausted.
    i = n
    exhausted = exhausted + 1
  end
  local headers = {["Content-Type"] = "application/json", ["X-Line-Signature"] = sigs[i]}
  if close_every > 0 and i % close_every == 0 then
    headers["Connection"] = "close"
  end
  return wrk.format("POST", "/callback", headers, bodies[i])
end

function done(summary, latency, requests)
  local spent = 0
  for _, thread in ipairs(threads) do
    spent = spent + (thread:get("exhausted") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    '\nBENCH_JSON {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,' ..
    '"p99_us":%d,"max_us":%d,"mean_us":%.1f,"exhausted":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, spent))
end
