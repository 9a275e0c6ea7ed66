package dev.projectdashboard.bench;

import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackSettings;
import dev.projectdashboard.starter.security.DevTokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * 1 GiB (and 100 MiB) through file-service's multipart upload versus a presigned PUT straight to the same S3 server,
 * plus file-service's resident memory while it streams. See bench/REPORT.md for the method as written up.
 */
final class FileUploadBenchmark {

    static final String NAME = "file-upload";
    static final String DEFAULT_JAR = "file-service/target/file-service-0.1.0-SNAPSHOT.jar";
    private static final long MAX_WARM_UP_SIZE = 16L << 20;
    private static final int WARM_UP_UPLOADS = 5;
    private static final long GOAL_GROWTH_BYTES = 64L << 20;
    private static final double GOAL_RATIO = 0.80;
    private static final long FLAT_SPREAD_BYTES = 16L << 20;

    static final String USAGE =
            """
            usage: bench/run file-upload [--sizes 100MiB,1GiB] [--runs 3] [--budget-seconds 150]
                                         [--jar file-service/target/file-service-0.1.0-SNAPSHOT.jar]
                                         [--report bench/REPORT.md]
            """;

    private final Settings settings;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private LocalStack stack;
    private S3Presigner presigner;
    private String token;
    /** Why file-service is not (or no longer) measured; null while it works. */
    private String serviceProblem;

    record Settings(List<Long> sizes, int runs, long budgetSecondsPerSize, Path jar, Path report, Path workDir) {}

    /** One upload: its throughput and, for service uploads, the peak RSS while it ran. */
    record Run(long bytes, double seconds, long peakRss) {
        double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    record SizeResult(long size, List<Run> direct, List<Run> service, String note) {}

    FileUploadBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Entry point from BenchMain: {@code args[0]} is "file-upload". Returns the exit status. */
    static int main(String[] args) {
        return CommandLine.run(args, USAGE, FileUploadBenchmark::parse, settings -> {
            new FileUploadBenchmark(settings).run();
            return true;
        });
    }

    static Settings parse(String[] args) {
        List<Long> sizes = Sizes.parseList("100MiB,1GiB");
        int runs = 3;
        long budget = 150;
        Path jar = Path.of(DEFAULT_JAR);
        Path report = Path.of("bench/REPORT.md");
        for (CommandLine.Option option : CommandLine.options(args)) {
            String value = option.value();
            switch (option.name()) {
                case "--sizes" -> sizes = Sizes.parseList(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--budget-seconds" -> budget = Long.parseLong(value);
                case "--jar" -> jar = Path.of(value);
                case "--report" -> report = Path.of(value);
                default -> throw option.unknown();
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        return new Settings(sizes, runs, budget, jar, report, Path.of("bench/target"));
    }

    void run() throws Exception {
        Instant started = Instant.now();
        Files.createDirectories(settings.workDir());
        log("starting the local stack (PostgreSQL, Redis, MQTT, S3) in this JVM");
        try (LocalStack localStack = LocalStack.start(LocalStackSettings.randomPorts())) {
            this.stack = localStack;
            this.presigner = presigner(localStack);
            this.token = DevTokens.userToken("bench-user", List.of("user"));
            int port = ServiceProcess.freePort();
            Path serviceLog = settings.workDir().resolve("file-service.log");
            log("starting file-service: java -Xmx128m -jar " + settings.jar() + " on port " + port + " (log "
                    + serviceLog + ")");
            try (ServiceProcess service = ServiceProcess.start(
                            "file-service",
                            settings.jar(),
                            List.of("-Xmx128m"),
                            List.of(),
                            localStack.environment(),
                            port,
                            serviceLog);
                    RssSampler rss = new RssSampler(service.pid())) {
                service.awaitReady(Duration.ofSeconds(120));
                log("file-service ready (pid " + service.pid() + ", RSS " + Sizes.mib(rss.rss()) + ")");
                warmUp(service);
                Thread.sleep(1000); // let the service settle after warm-up before taking its baseline RSS
                long baselineRss = rss.rss();
                long warmUpHwm = rss.highWaterMark();
                log("baseline RSS after warm-up " + Sizes.mib(baselineRss) + " (VmHWM " + Sizes.mib(warmUpHwm) + ")");
                List<SizeResult> results = new ArrayList<>();
                for (long size : settings.sizes()) {
                    results.add(measure(size, service, rss));
                }
                long finalHwm = rss.highWaterMark();
                String section = report(started, baselineRss, warmUpHwm, finalHwm, results);
                Report.writeSection(settings.report(), NAME, section);
                log("report written to " + settings.report());
                System.out.println(section);
            }
        } finally {
            if (presigner != null) {
                presigner.close();
            }
        }
        log("done in " + Duration.between(started, Instant.now()).toSeconds() + " s");
    }

    private void warmUp(ServiceProcess service) throws Exception {
        long warmUpSize = Math.min(
                MAX_WARM_UP_SIZE,
                settings.sizes().stream().mapToLong(Long::longValue).min().orElseThrow());
        log("warm-up: 3 direct and " + WARM_UP_UPLOADS + " file-service uploads of " + Sizes.format(warmUpSize));
        for (int i = 0; i < 3; i++) {
            uploadDirect(warmUpSize, false);
        }
        for (int i = 0; i < WARM_UP_UPLOADS && serviceProblem == null; i++) {
            tryService(service, warmUpSize, false);
        }
    }

    private SizeResult measure(long size, ServiceProcess service, RssSampler rss) throws Exception {
        List<Run> direct = new ArrayList<>();
        List<Run> through = new ArrayList<>();
        String note = "";
        Instant sizeStarted = Instant.now();
        for (int i = 1; i <= settings.runs(); i++) {
            boolean verifyHash =
                    i == 1; // one full GET-and-hash per path and size proves the bytes, not just the length
            Run d = uploadDirect(size, verifyHash);
            direct.add(d);
            log(String.format(
                    Locale.ROOT, "%s run %d direct:       %7.1f MB/s", Sizes.format(size), i, d.megabytesPerSecond()));
            if (serviceProblem == null) {
                rss.openWindow();
                Run s = tryService(service, size, verifyHash);
                long peak = rss.closeWindow();
                if (s == null) {
                    continue;
                }
                s = new Run(s.bytes(), s.seconds(), peak);
                through.add(s);
                log(String.format(
                        Locale.ROOT,
                        "%s run %d file-service: %7.1f MB/s, peak RSS %s",
                        Sizes.format(size),
                        i,
                        s.megabytesPerSecond(),
                        Sizes.mib(peak)));
            }
            long spent = Duration.between(sizeStarted, Instant.now()).toSeconds();
            if (i < settings.runs() && spent * (i + 1) / i > settings.budgetSecondsPerSize()) {
                note = i + " run(s) instead of " + settings.runs() + ": one run took " + spent / i
                        + " s, the time budget per size is " + settings.budgetSecondsPerSize() + " s";
                log(Sizes.format(size) + ": " + note);
                break;
            }
        }
        return new SizeResult(size, direct, through, note);
    }

    // ---------------------------------------------------------------- direct baseline

    private Run uploadDirect(long size, boolean verifyHash) throws Exception {
        String key = "bench/direct/" + UUID.randomUUID() + "/bench.bin";
        PresignedRequest put = presigner.presignPutObject(request -> request.signatureDuration(Duration.ofHours(1))
                .putObjectRequest(object -> object.bucket(stack.s3Bucket()).key(key)));
        GeneratedPayload payload = new GeneratedPayload(seed(), size, new byte[0], new byte[0]);
        HttpRequest request = HttpRequest.newBuilder(put.url().toURI())
                .timeout(timeoutFor(size))
                .PUT(body(payload))
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    "direct PUT answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        verifyStored(key, size, verifyHash ? payload.payloadSha256() : null);
        delete(key);
        return new Run(size, seconds, 0);
    }

    // ---------------------------------------------------------------- through file-service

    /**
     * A file-service upload, or null once it has failed: the failure is logged and reported, and the direct baseline
     * goes on being measured, so a broken or missing endpoint still leaves useful numbers.
     */
    private Run tryService(ServiceProcess service, long size, boolean verifyHash) throws InterruptedException {
        try {
            return uploadThroughService(service, size, verifyHash);
        } catch (IOException | RuntimeException e) {
            serviceProblem = Sizes.format(size) + " upload through file-service failed: " + e;
            log("*** " + serviceProblem + "\n*** Only the direct baseline is measured from here on; fix file-service"
                    + " (log bench/target/file-service.log), rebuild its jar and re-run `bench/run file-upload`. ***");
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Run uploadThroughService(ServiceProcess service, long size, boolean verifyHash) throws Exception {
        String boundary = "bench-" + UUID.randomUUID();
        byte[] prefix = ("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"file\"; filename=\"bench.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        GeneratedPayload payload = new GeneratedPayload(seed(), size, prefix, suffix);
        HttpRequest request = HttpRequest.newBuilder(service.uri("/api/v1/files/upload?task_id=" + UUID.randomUUID()))
                .timeout(timeoutFor(size))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body(payload))
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (response.statusCode() == 404) {
            throw new IllegalStateException("file-service answered 404 for POST /api/v1/files/upload: the upload"
                    + " endpoint is not in this jar");
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("file-service upload answered " + response.statusCode() + ": "
                    + abbreviate(response.body()) + "\nfile-service log:\n" + service.logTail());
        }
        JsonNode body = json.readTree(response.body());
        String key = body.path("object_key").asString();
        long reported = body.path("size").asLong(-1);
        if (key.isEmpty()) {
            throw new IllegalStateException("upload response without object_key: " + abbreviate(response.body()));
        }
        if (reported != size) {
            throw new IllegalStateException("file-service stored " + reported + " bytes of the " + size + " sent ("
                    + (size - reported) + " missing), object " + key);
        }
        // file-service reports the checksum it computed while streaming; it must be the one of the bytes sent
        String reportedSha256 = body.path("checksum_sha256").asString("");
        if (!reportedSha256.isEmpty() && !reportedSha256.equalsIgnoreCase(payload.payloadSha256())) {
            throw new IllegalStateException("file-service reported SHA-256 " + reportedSha256
                    + ", the bytes sent hash to " + payload.payloadSha256() + ", object " + key);
        }
        verifyStored(key, size, verifyHash ? payload.payloadSha256() : null);
        delete(key);
        return new Run(size, seconds, 0);
    }

    // ---------------------------------------------------------------- verification

    private void verifyStored(String key, long size, String expectedSha256) throws Exception {
        PresignedRequest head = presigner.presignHeadObject(request -> request.signatureDuration(Duration.ofHours(1))
                .headObjectRequest(object -> object.bucket(stack.s3Bucket()).key(key)));
        HttpResponse<Void> headResponse = http.send(
                HttpRequest.newBuilder(head.url().toURI())
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        long stored = headResponse.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (headResponse.statusCode() != 200 || stored != size) {
            throw new IllegalStateException("HEAD " + key + ": status " + headResponse.statusCode() + ", size " + stored
                    + ", expected " + size);
        }
        if (expectedSha256 == null) {
            return;
        }
        PresignedRequest get = presigner.presignGetObject(request -> request.signatureDuration(Duration.ofHours(1))
                .getObjectRequest(object -> object.bucket(stack.s3Bucket()).key(key)));
        HttpResponse<InputStream> getResponse = http.send(
                HttpRequest.newBuilder(get.url().toURI()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest digest = GeneratedPayload.sha256();
        try (InputStream in = getResponse.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (getResponse.statusCode() != 200 || !actual.equals(expectedSha256)) {
            throw new IllegalStateException("GET " + key + ": status " + getResponse.statusCode() + ", SHA-256 "
                    + actual + ", expected " + expectedSha256);
        }
        log("verified " + key + ": " + Sizes.format(size) + ", SHA-256 " + actual.substring(0, 16) + "…");
    }

    private void delete(String key) throws Exception {
        // keeps the stack's directory (and the disk) small across gigabyte runs
        PresignedRequest delete = presigner.presignDeleteObject(request -> request.signatureDuration(
                        Duration.ofHours(1))
                .deleteObjectRequest(object -> object.bucket(stack.s3Bucket()).key(key)));
        http.send(
                HttpRequest.newBuilder(delete.url().toURI()).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    // ---------------------------------------------------------------- report

    private String report(Instant started, long baselineRss, long warmUpHwm, long finalHwm, List<SizeResult> results)
            throws InterruptedException {
        StringBuilder out = new StringBuilder();
        out.append("## file-upload: file-service multipart upload vs direct presigned PUT\n\n");
        out.append(Report.dateAndCommit(started)).append('\n');
        out.append(Report.machineLine());
        out.append(Report.commandLine(command()));
        out.append(Report.jar("file-service", settings.jar())).append('\n');
        out.append("- Goal: file-service ≥ 80 % of direct throughput; file-service RSS growth ≤ 64 MiB over its"
                + " post-warm-up baseline, and flat between 100 MiB and 1 GiB.\n\n");
        out.append("### Method\n\n");
        out.append("Everything runs on this one machine. The bench JVM starts the embedded local stack (S3Proxy over an"
                + " in-memory Jimfs blob store, i.e. in the bench JVM's heap; PostgreSQL, Redis, MQTT) on random ports, then file-service as its own JVM"
                + " (`java -Xmx128m -jar file-service/target/file-service-0.1.0-SNAPSHOT.jar`, the stack's"
                + " environment, readiness UP). Bodies are generated on the fly (1 MiB pseudo-random pool, rotated per"
                + " MiB; nothing held in memory) and SHA-256-hashed while sent, by the JDK HttpClient (HTTP/1.1,"
                + " Content-Length known).\n\n");
        out.append("- *direct*: a presigned (SigV4, path-style) PUT of the N bytes straight to the S3 server.\n");
        out.append("- *file-service*: `POST /api/v1/files/upload?task_id=<uuid>` multipart/form-data, part `file`"
                + " (`bench.bin`, `application/octet-stream`), user JWT; timed until the JSON response arrives.\n");
        out.append("- Warm-up: 3 direct and " + WARM_UP_UPLOADS
                + " file-service uploads of 16 MiB (or the smallest size), discarded. Then"
                + " per size, runs alternate direct / file-service; throughput = N / wall time, MB = 10^6 bytes,"
                + " median of the runs.\n");
        out.append(
                "- Every object is checked by HEAD (size; file-service's reported size and `checksum_sha256` too) and deleted afterwards; the first run of each path and size"
                        + " is also fetched with GET and its SHA-256 compared with the bytes sent.\n");
        out.append("- RSS: file-service's `/proc/<pid>/status` VmRSS sampled every 100 ms during each upload (peak);"
                + " baseline = VmRSS 1 s after warm-up; VmHWM = the kernel's peak over the process life.\n\n");
        out.append("### Results\n\n");
        if (serviceProblem != null) {
            out.append("**file-service was NOT (fully) measured:** ")
                    .append(serviceProblem.replace("|", "\\|"))
                    .append(". The direct baseline below is real; file-service numbers are missing or partial. Re-run"
                            + " `bench/run file-upload` once file-service uploads work.\n\n");
        }
        List<List<String>> rows = new ArrayList<>();
        for (SizeResult result : results) {
            double direct = median(result.direct());
            double service = median(result.service());
            rows.add(List.of(
                    Sizes.format(result.size()),
                    Integer.toString(result.direct().size()),
                    String.format(Locale.ROOT, "%.1f (%s)", direct, all(result.direct())),
                    result.service().isEmpty()
                            ? "n/a"
                            : String.format(Locale.ROOT, "%.1f (%s)", service, all(result.service())),
                    result.service().isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.0f %%", 100 * service / direct),
                    result.service().isEmpty() ? "n/a" : Sizes.mib(peak(result.service()))));
        }
        out.append(Report.table(
                List.of(
                        "size",
                        "runs",
                        "direct MB/s median (all)",
                        "file-service MB/s median (all)",
                        "file-service / direct",
                        "file-service peak RSS"),
                rows));
        for (SizeResult result : results) {
            if (!result.note().isEmpty()) {
                out.append("\nNote, ")
                        .append(Sizes.format(result.size()))
                        .append(": ")
                        .append(result.note());
            }
        }
        out.append('\n');
        if (results.stream().allMatch(result -> !result.service().isEmpty())) {
            out.append("\nfile-service RSS: baseline after warm-up ")
                    .append(Sizes.mib(baselineRss))
                    .append(", VmHWM after warm-up ")
                    .append(Sizes.mib(warmUpHwm))
                    .append(", VmHWM at the end ")
                    .append(Sizes.mib(finalHwm))
                    .append(".\n");
            out.append(verdict(baselineRss, results));
        }
        return out.toString();
    }

    /** The command line that measures these settings again (compact sizes; the jar only when not the default). */
    private String command() {
        return "bench/run file-upload --sizes "
                + String.join(
                        ",",
                        settings.sizes().stream()
                                .map(FileUploadBenchmark::compact)
                                .toList())
                + " --runs "
                + settings.runs()
                + (settings.jar().equals(Path.of(DEFAULT_JAR)) ? "" : " --jar " + settings.jar());
    }

    private static String verdict(long baselineRss, List<SizeResult> results) {
        StringBuilder out = new StringBuilder("\n### Verdict\n\n");
        boolean throughputOk = true;
        for (SizeResult result : results) {
            double ratio = median(result.service()) / median(result.direct());
            throughputOk &= ratio >= GOAL_RATIO;
        }
        long largestPeak = 0;
        long smallestPeak = Long.MAX_VALUE;
        for (SizeResult result : results) {
            largestPeak = Math.max(largestPeak, peak(result.service()));
            smallestPeak = Math.min(smallestPeak, peak(result.service()));
        }
        long growth = largestPeak - baselineRss;
        long spread = largestPeak - smallestPeak;
        out.append("- Throughput ≥ 80 % of direct at every size: ")
                .append(throughputOk ? "**met**" : "**NOT met**")
                .append('\n');
        out.append("- RSS growth (largest peak − baseline) ")
                .append(Sizes.mib(growth))
                .append(" ≤ 64 MiB: ")
                .append(growth <= GOAL_GROWTH_BYTES ? "**met**" : "**NOT met**")
                .append('\n');
        out.append("- Flat: peak spread across sizes ")
                .append(Sizes.mib(spread))
                .append(" ≤ ")
                .append(Sizes.mib(FLAT_SPREAD_BYTES))
                .append(" (the bench's own reading of \"flat\"): ")
                .append(
                        results.size() < 2
                                ? "only one size measured"
                                : spread <= FLAT_SPREAD_BYTES ? "**met**" : "**NOT met**")
                .append('\n');
        return out.toString();
    }

    // ---------------------------------------------------------------- helpers

    private static HttpRequest.BodyPublisher body(GeneratedPayload payload) {
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> payload), payload.contentLength());
    }

    /** Generous (5 MB/s plus a minute) but finite: a stalled upload fails the bench instead of hanging it. */
    private static Duration timeoutFor(long size) {
        return Duration.ofSeconds(60 + size / 5_000_000);
    }

    private static S3Presigner presigner(LocalStack stack) {
        try {
            return S3Presigner.builder()
                    .endpointOverride(new URI(stack.s3Endpoint()))
                    .region(Region.of(stack.s3Region()))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(stack.s3AccessKey(), stack.s3SecretKey())))
                    .serviceConfiguration(S3Configuration.builder()
                            .pathStyleAccessEnabled(true)
                            .build())
                    .build();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad S3 endpoint " + stack.s3Endpoint(), e);
        }
    }

    private static long seed() {
        return ThreadLocalRandom.current().nextLong();
    }

    static double median(List<Run> runs) {
        if (runs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> values = new ArrayList<>(
                runs.stream().map(Run::megabytesPerSecond).sorted().toList());
        int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }

    private static long peak(List<Run> runs) {
        return runs.stream().mapToLong(Run::peakRss).max().orElse(0);
    }

    private static String all(List<Run> runs) {
        return String.join(
                ", ",
                runs.stream()
                        .map(run -> String.format(Locale.ROOT, "%.1f", run.megabytesPerSecond()))
                        .toList());
    }

    private static String compact(long size) {
        return Sizes.format(size).replace(" ", "");
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }

    static void log(String message) {
        CommandLine.log("bench", message);
    }
}
