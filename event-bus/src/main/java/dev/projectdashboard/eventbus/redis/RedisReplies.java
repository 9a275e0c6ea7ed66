package dev.projectdashboard.eventbus.redis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the raw key/value lists XINFO answers with. */
final class RedisReplies {

    private RedisReplies() {}

    static Map<String, Object> asMap(Object reply) {
        Map<String, Object> map = new HashMap<>();
        if (reply instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                map.put(String.valueOf(list.get(i)), list.get(i + 1));
            }
        }
        return map;
    }
}
