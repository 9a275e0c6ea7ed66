-- Adds (or refreshes) connections in a channel's presence; a new member's join goes to the fan-out when asked.
-- KEYS[1] = rt:presence:{channel} (zset connection -> expires at ms)   KEYS[2] = rt:presence:{channel}:info
-- KEYS[3] = rt:presence:channels (set of channels with presence)   KEYS[4] = rt:fanout
-- ARGV[1] = expires at ms   ARGV[2] = ttl ms   ARGV[3] = channel   ARGV[4] = 1 to emit join   ARGV[5] = fan-out maxlen
-- ARGV[6..] = connection id, info JSON pairs
for i = 6, #ARGV, 2 do
  local added = redis.call('ZADD', KEYS[1], ARGV[1], ARGV[i])
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  if added == 1 and ARGV[4] == '1' then
    local event = {specversion = '1.0', id = ARGV[i] .. ':join:' .. ARGV[3], source = '/realtime-service',
      type = 'realtime.presence', data = {channel = ARGV[3], kind = 'join', info = cjson.decode(ARGV[i + 1])}}
    redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[5], '*', 'event', cjson.encode(event))
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[3])
return 1
