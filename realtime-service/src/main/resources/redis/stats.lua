-- Cluster-wide numbers over live replicas.
-- KEYS[1] = rt:replicas   ARGV[1] = now ms   ARGV[2] = 'rt:replica:'   ARGV[3] = active since ms
-- ARGV[4] = user id or '' : when given, the fifth answer is that user's connection count
-- ARGV[5] = how many active user ids to list at most (0: none)
-- Returns {connections, users, active users, replicas, connections of ARGV[4], {active user ids, sorted, at most
-- ARGV[5]}}.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local replicas = redis.call('ZRANGE', KEYS[1], 0, -1)
local connections, users, active, userCount = 0, {}, {}, 0
local nUsers = 0
local activeIds = {}
for _, replica in ipairs(replicas) do
  local counts = redis.call('HGETALL', ARGV[2] .. replica .. ':users')
  for i = 1, #counts, 2 do
    local n = tonumber(counts[i + 1])
    connections = connections + n
    if n > 0 and not users[counts[i]] then
      users[counts[i]] = true
      nUsers = nUsers + 1
    end
    if counts[i] == ARGV[4] then
      userCount = userCount + n
    end
  end
  local seen = redis.call('HGETALL', ARGV[2] .. replica .. ':active')
  for i = 1, #seen, 2 do
    if tonumber(seen[i + 1]) >= tonumber(ARGV[3]) and not active[seen[i]] then
      active[seen[i]] = true
      activeIds[#activeIds + 1] = seen[i]
    end
  end
end
-- sorted, so that a list cut by the limit is the same whichever replica answers
table.sort(activeIds)
local listed = {}
for i = 1, math.min(#activeIds, tonumber(ARGV[5])) do
  listed[i] = activeIds[i]
end
return {connections, nUsers, #activeIds, #replicas, userCount, listed}
