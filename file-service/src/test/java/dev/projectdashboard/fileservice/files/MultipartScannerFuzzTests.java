package dev.projectdashboard.fileservice.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.projectdashboard.starter.problem.ProblemException;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz test of the streamed multipart parser: whatever the bytes, it reports well-formed parts or refuses the body with
 * a 4xx, never another exception (the service would answer a 5xx), and what it reports does not depend on how the body
 * was cut into network chunks.
 *
 * <p>Under {@code mvn verify} this runs in Jazzer's regression mode: each seed in {@code
 * MultipartScannerFuzzTestsInputs/<method>/} once. To fuzz for real: {@code JAZZER_FUZZ=1 ./mvnw -pl file-service test
 * -Dtest=MultipartScannerFuzzTests -Djazzer.hooks=true} (stops after {@code maxDuration}; findings are saved beside
 * the seeds and replayed from then on).
 */
class MultipartScannerFuzzTests {

    private static final String BOUNDARY = "fuzz-boundary";

    @FuzzTest(maxDuration = "60s")
    void aBodyIsReadTheSameWhateverTheChunkingOrRefusedWithA4xx(byte[] body) {
        Outcome whole = scan(body, body.length);
        // a chunk size the input chooses, so the fuzzer explores the cuts too
        int chunk = 1 + Math.floorMod(Arrays.hashCode(body), 97);
        Outcome chunked = scan(body, chunk);
        assertThat(chunked).as("chunks of %d bytes", chunk).isEqualTo(whole);
    }

    /** What scanning {@code body} fed {@code chunk} bytes at a time came to. */
    private static Outcome scan(byte[] body, int chunk) {
        MultipartScannerTests.Recorder recorder = new MultipartScannerTests.Recorder();
        MultipartScanner scanner = new MultipartScanner(BOUNDARY, recorder);
        try {
            for (int i = 0; i < body.length; i += Math.max(chunk, 1)) {
                scanner.feed(body, i, Math.min(Math.max(chunk, 1), body.length - i));
            }
            scanner.finish();
        } catch (ProblemException refused) {
            assertThat(refused.getStatusCode().is4xxClientError())
                    .as("refused with %s", refused.getStatusCode())
                    .isTrue();
            // where in the body the refusal came may depend on the cut; that it came may not
            return new Outcome(null, true);
        }
        return new Outcome(
                recorder.parts.stream()
                        .map(part -> part.headers() + ":" + Arrays.toString(part.content()))
                        .toList(),
                false);
    }

    private record Outcome(List<String> parts, boolean refused) {}
}
