package dev.projectdashboard.pushservice.signature;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The npm {@code standardwebhooks} package's own verifier, run by {@code src/test/node/verify-standard.js} in a node
 * process: the test hands it cases and reads back "ok" or the verifier's error for each.
 */
final class StandardWebhooksVerifier {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SOURCES = Path.of("src", "test", "node");
    private static final Path INSTALL = Path.of("target", "standardwebhooks-node");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
    private static final String NODE_MISSING =
            "StandardWebhooksVerifierTests run the standardwebhooks package from npm:"
                    + " node (20 or newer) and npm must be on the PATH";

    /** One signed request as a receiver sees it. */
    record Case(String secret, String id, long timestamp, byte[] body, String signature) {}

    private StandardWebhooksVerifier() {}

    /**
     * Copies the script and its lock file to {@code target/standardwebhooks-node} and runs {@code npm ci} there,
     * unless the same lock file was installed before (then nothing is downloaded: the run works offline).
     */
    static synchronized void install() throws IOException, InterruptedException {
        Files.createDirectories(INSTALL);
        Path lock = INSTALL.resolve("package-lock.json");
        boolean installed = Files.isDirectory(INSTALL.resolve("node_modules/standardwebhooks"))
                && Files.exists(lock)
                && Files.mismatch(lock, SOURCES.resolve("package-lock.json")) == -1;
        for (String file : List.of("package.json", "package-lock.json", "verify-standard.js")) {
            Files.copy(SOURCES.resolve(file), INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (installed) {
            return;
        }
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
                    .directory(INSTALL.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(NODE_MISSING + " (" + e.getMessage() + ")", e);
        }
        npm.getOutputStream().close();
        byte[] output = npm.getInputStream().readAllBytes();
        if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            npm.destroyForcibly();
            fail("npm ci in " + INSTALL.toAbsolutePath() + " took longer than " + INSTALL_TIMEOUT);
        }
        if (npm.exitValue() != 0) {
            fail("npm ci in " + INSTALL.toAbsolutePath() + " failed (the npm registry or a populated npm cache is "
                    + "needed once):\n" + new String(output, StandardCharsets.UTF_8));
        }
    }

    /** What {@code new Webhook(secret).verify(body, headers)} says of each case: "ok" or its error. */
    static List<String> verify(List<Case> cases) throws IOException, InterruptedException {
        ArrayNode input = JSON.createArrayNode();
        for (Case c : cases) {
            input.addObject()
                    .put("secret", c.secret())
                    .put("id", c.id())
                    .put("timestamp", c.timestamp())
                    .put("body_base64", Base64.getEncoder().encodeToString(c.body()))
                    .put("signature", c.signature());
        }
        Process node;
        try {
            node = new ProcessBuilder("node", "verify-standard.js")
                    .directory(INSTALL.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(NODE_MISSING + " (" + e.getMessage() + ")", e);
        }
        try (OutputStream stdin = node.getOutputStream()) {
            stdin.write(JSON.writeValueAsBytes(input));
        }
        byte[] output = node.getInputStream().readAllBytes();
        if (!node.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail("verify-standard.js took longer than " + RUN_TIMEOUT);
        }
        if (node.exitValue() != 0) {
            fail("verify-standard.js exited with " + node.exitValue() + ": "
                    + new String(output, StandardCharsets.UTF_8));
        }
        List<String> results = new ArrayList<>();
        for (JsonNode result : JSON.readTree(output)) {
            results.add(result.asString());
        }
        return results;
    }
}
