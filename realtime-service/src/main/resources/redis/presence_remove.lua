-- Removes a connection from a channel's presence; its leave goes to the fan-out when asked.
-- KEYS as presence_add.lua   ARGV[1] = connection id   ARGV[2] = channel   ARGV[3] = 1 to emit leave
-- ARGV[4] = fan-out maxlen
local info = redis.call('HGET', KEYS[2], ARGV[1])
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if removed == 1 and info and ARGV[3] == '1' then
  local event = {specversion = '1.0', id = ARGV[1] .. ':leave:' .. ARGV[2], source = '/realtime-service',
    type = 'realtime.presence', data = {channel = ARGV[2], kind = 'leave', info = cjson.decode(info)}}
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[4], '*', 'event', cjson.encode(event))
end
return removed
