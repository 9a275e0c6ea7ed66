-- Keeps this replica alive and rewrites its per-user counts from its own truth, so drift heals every beat.
-- KEYS[1] = rt:replicas   KEYS[2] = rt:replica:{me}:users   KEYS[3] = rt:replica:{me}:active (user -> last seen ms)
-- ARGV[1] = now ms   ARGV[2] = replica id   ARGV[3] = ttl ms   ARGV[4] = number of user/count pairs
-- ARGV[5..] = user, count pairs, then user, last-seen pairs
local now, ttl, pairs = tonumber(ARGV[1]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
redis.call('DEL', KEYS[2])
local i = 5
for _ = 1, pairs do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i < #ARGV do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
  i = i + 2
end
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('PEXPIRE', KEYS[3], 600000)
return 1
