-- The write mix, in turn: create an article, favorite one, comment on it, update one's own.
-- Arguments: token, the slug to favorite and comment on, the slug of the caller's own article.
-- Answers are counted as for the reads, by count.lua, which lies beside this script.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "count.lua")
local count_setup, count_init = setup, init
local started = 0

function setup(thread)
  started = started + 1
  thread:set("id", started)
  count_setup(thread)
end

function init(args)
  count_init(args)
  sent = 0
  auth = "Token " .. args[1]
  other, own = args[2], args[3]
end

local function send(method, path, body)
  local headers = {["Authorization"] = auth}
  if body ~= "" then
    headers["Content-Type"] = "application/json"
  end
  return wrk.format(method, path, headers, body)
end

function request()
  sent = sent + 1
  local kind = sent % 4
  if kind == 0 then
    -- A new title each time: a taken one would cost a retry for a free slug.
    return send("POST", "/api/articles", string.format(
      '{"article": {"title": "Load %d %d", "description": "Load", "body": "Load", ' ..
      '"tagList": ["load"]}}', id, sent))
  elseif kind == 1 then
    return send("POST", "/api/articles/" .. other .. "/favorite", "")
  elseif kind == 2 then
    return send("POST", "/api/articles/" .. other .. "/comments",
      string.format('{"comment": {"body": "Load %d %d"}}', id, sent))
  end
  return send("PUT", "/api/articles/" .. own,
    string.format('{"article": {"body": "Updated %d %d"}}', id, sent))
end
