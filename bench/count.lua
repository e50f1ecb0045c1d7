-- Counts every answer that is not a 2xx (wrk itself counts only 4xx and 5xx), for reads; with an
-- argument, every answer of another status than it (`304`: the If-None-Match rows).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  expected = tonumber(args[1])
end

function response(status, headers, body)
  if expected and status ~= expected then
    non2xx = non2xx + 1
  elseif not expected and (status < 200 or status > 299) then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("non2xx")
  end
  io.write(string.format("non-2xx: %d\n", total))
end
