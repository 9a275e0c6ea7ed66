-- Drops expired presence members (their replica stopped refreshing them: it died) and emits their leave once:
-- whichever replica sweeps first removes them, so the leave is not repeated.
-- KEYS[1] = rt:presence:channels   KEYS[2] = rt:fanout   ARGV[1] = now ms   ARGV[2] = 'rt:presence:'
-- ARGV[3] = space-separated namespaces with join/leave ('' for none)   ARGV[4] = fan-out maxlen
-- Returns how many members were dropped.
local joinLeave = {}
for namespace in string.gmatch(ARGV[3], '%S+') do
  joinLeave[namespace] = true
end
local dropped = 0
for _, channel in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local zset, hash = ARGV[2] .. channel, ARGV[2] .. channel .. ':info'
  local namespace = string.match(channel, '^([^:]+):')
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', zset, '-inf', ARGV[1])) do
    local info = redis.call('HGET', hash, member)
    redis.call('ZREM', zset, member)
    redis.call('HDEL', hash, member)
    dropped = dropped + 1
    if info and joinLeave[namespace] then
      local event = {specversion = '1.0', id = member .. ':leave:' .. channel, source = '/realtime-service',
        type = 'realtime.presence', data = {channel = channel, kind = 'leave', info = cjson.decode(info)}}
      redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'event', cjson.encode(event))
    end
  end
  if redis.call('ZCARD', zset) == 0 then
    redis.call('SREM', KEYS[1], channel)
    redis.call('DEL', hash)
  end
end
return dropped
