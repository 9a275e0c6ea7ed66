-- Members of a channel's presence that have not expired.
-- KEYS[1] = rt:presence:{channel}   KEYS[2] = rt:presence:{channel}:info   ARGV[1] = now ms
-- Returns the info JSON of each live member.
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')
if #members == 0 then
  return {}
end
local infos = redis.call('HMGET', KEYS[2], unpack(members))
local out = {}
for i = 1, #infos do
  if infos[i] then
    out[#out + 1] = infos[i]
  end
end
return out
