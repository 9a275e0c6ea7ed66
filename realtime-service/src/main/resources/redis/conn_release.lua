-- Gives back one connection of a user on this replica.
-- KEYS[1] = rt:replica:{me}:users   ARGV[1] = user id
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return left
