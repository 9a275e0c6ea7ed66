package dev.projectdashboard.realtimeservice.script;

import dev.projectdashboard.eventbus.redis.RedisConnections;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * One Lua script of {@code resources/redis/}, run with EVALSHA on the event bus's shared connection and sent in
 * full (EVAL, which also caches it) the first time Redis does not know it (new or restarted server).
 */
public final class RedisScript {

    private final String name;
    private final String source;
    private final String sha;
    private final RedisConnections connections;
    private final boolean sendSource;

    private RedisScript(String name, String source, RedisConnections connections, boolean sendSource) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
        this.connections = connections;
        this.sendSource = sendSource;
    }

    /** Reads {@code redis/<name>.lua} from the classpath; call at start-up, never on an event loop. */
    public static RedisScript load(String name, RedisConnections connections) {
        String path = "redis/" + name + ".lua";
        try (InputStream in = RedisScript.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + path + " is not on the classpath");
            }
            return new RedisScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), connections, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * The same script always sent in full (EVAL; Redis still compiles it once and caches it). For calls that are
     * pipelined in a strict order: an EVALSHA answered NOSCRIPT would be re-sent after calls issued behind it.
     */
    public RedisScript sendingSource() {
        return new RedisScript(name, source, connections, true);
    }

    /** Runs the script; the reply is a nested list (Long for integers, String for bulk strings). */
    public Mono<List<Object>> multi(List<String> keys, List<String> args) {
        return run(ScriptOutputType.MULTI, keys, args);
    }

    /** Runs a script answering one integer. */
    public Mono<Long> integer(List<String> keys, List<String> args) {
        return run(ScriptOutputType.INTEGER, keys, args);
    }

    private <T> Mono<T> run(ScriptOutputType type, List<String> keys, List<String> args) {
        String[] keyArray = keys.toArray(String[]::new);
        String[] argArray = args.toArray(String[]::new);
        return connections
                .commands()
                .flatMap(redis -> sendSource
                        ? redis.<T>eval(source, type, keyArray, argArray).next()
                        : redis.<T>evalsha(sha, type, keyArray, argArray)
                                .next()
                                .onErrorResume(RedisNoScriptException.class, e -> redis.<T>eval(
                                                source, type, keyArray, argArray)
                                        .next()))
                .timeout(connections.commandTimeout())
                .onErrorMap(
                        e -> !(e instanceof ScriptException),
                        e -> new ScriptException("Redis script " + name + " failed: " + e.getMessage(), e));
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "RedisScript[" + name + "]";
    }

    /** A script that failed or timed out; Redis errors keep their message. */
    public static final class ScriptException extends RuntimeException {

        // what Redis answers while it cannot run anything for now: loading, busy, a replica not yet promoted
        private static final List<String> TRANSIENT_ERRORS =
                List.of("LOADING", "BUSY", "MASTERDOWN", "READONLY", "TRYAGAIN", "CLUSTERDOWN", "OOM", "NOREPLICAS");

        public ScriptException(String message, Throwable cause) {
            super(message, cause);
        }

        /**
         * Whether Redis could not run the script now (unreachable, too slow, loading, busy): worth retrying. False
         * when Redis ran it and it failed (a script error, e.g. arguments it cannot use): the same call fails again,
         * so callers answer a bug, not "try again".
         */
        public boolean unavailable() {
            for (Throwable cause = getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                if (cause instanceof RedisCommandExecutionException answered) {
                    String message = String.valueOf(answered.getMessage());
                    return TRANSIENT_ERRORS.stream().anyMatch(message::startsWith);
                }
            }
            return true;
        }
    }
}
