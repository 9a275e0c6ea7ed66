-- Counts a new connection of a user against the cluster-wide limit, over live replicas only.
-- KEYS[1] = rt:replicas (zset replica -> expires at ms)   KEYS[2] = rt:replica:{me}:users (hash user -> count)
-- ARGV[1] = now ms   ARGV[2] = user id   ARGV[3] = limit   ARGV[4] = 'rt:replica:'   ARGV[5] = my replica id
-- ARGV[6] = replica ttl ms.   Returns the user's count after acquiring, or -count when refused.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[6]), ARGV[5])
local total = 0
for _, replica in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  total = total + tonumber(redis.call('HGET', ARGV[4] .. replica .. ':users', ARGV[2]) or '0')
end
if total >= tonumber(ARGV[3]) then
  return -total
end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return total + 1
