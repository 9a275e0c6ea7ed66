-- Reads a channel's position, owner and history in one atomic step, so the top offset and the entries agree.
-- KEYS[1] = rt:meta:{channel}   KEYS[2] = rt:hist:{channel}   KEYS[3] = rt:owner:{channel}
-- ARGV[1] = since offset (exclusive; -1 for the newest entries)   ARGV[2] = limit (0: position only)
-- ARGV[3] = epoch candidate   ARGV[4] = meta ttl s   ARGV[5] = the stream id after since ('' without since)
-- Returns {top offset, epoch, {{id, {'p', publication}}, ...}, owner} oldest first; owner '' when not known.
-- Offsets come in as text and go out as Redis numbers: Lua prints large numbers in exponent form (1e+14), which is no
-- stream id, so the caller writes the first id to read, and numbers are only compared here.
local owner = redis.call('GET', KEYS[3]) or ''
local meta = redis.call('HMGET', KEYS[1], 'e', 's')
if not meta[1] then
  -- a channel nobody published to yet gets its epoch now: a subscriber learns it from its subscribe answer (live
  -- publications carry no epoch on the wire), and the first publication continues it, so it can recover later
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'e', ARGV[3], 's', 0)
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  return {0, ARGV[3], {}, owner}
end
local top = tonumber(meta[2])
local limit = tonumber(ARGV[2])
local entries = {}
if limit > 0 then
  local since = tonumber(ARGV[1])
  if since < 0 then
    local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', limit)
    for i = #newest, 1, -1 do
      entries[#entries + 1] = newest[i]
    end
  elseif since < top then
    entries = redis.call('XRANGE', KEYS[2], ARGV[5], '+', 'COUNT', limit)
  end
end
return {top, meta[1], entries, owner}
