-- Cluster-wide numbers over live replicas.
-- KEYS[1] = rt:replicas   ARGV[1] = now ms   ARGV[2] = 'rt:replica:'   ARGV[3] = active since ms
-- ARGV[4] = user id or '' : when given, the second answer is that user's connection count
-- Returns {connections, users, active users, replicas, connections of ARGV[4]}.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local replicas = redis.call('ZRANGE', KEYS[1], 0, -1)
local connections, users, active, userCount = 0, {}, {}, 0
local nUsers, nActive = 0, 0
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
      nActive = nActive + 1
    end
  end
end
return {connections, nUsers, nActive, #replicas, userCount}
