package dev.projectdashboard.fileservice.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.projectdashboard.starter.problem.ProblemException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The multipart parser on its own: every byte of every part, whatever the chunking, and clear 400s otherwise. */
class MultipartScannerTests {

    private static final String BOUNDARY = "----dashboardBoundary7MA4YWxkTrZu0gW";

    @Test
    void findsEveryPartAndEveryByteWhateverTheChunking() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            byte[] file = tricky(random, random.nextInt(round < 20 ? 200 : 300_000));
            byte[] body = body(BOUNDARY, "preamble text\r\n", file, "\r\nepilogue");
            Recorder recorder = new Recorder();
            MultipartScanner scanner = new MultipartScanner(BOUNDARY, recorder);
            int maxChunk =
                    switch (round % 4) {
                        case 0 -> 1;
                        case 1 -> 7;
                        case 2 -> 8192;
                        default -> 200_000;
                    };
            for (int i = 0; i < body.length; ) {
                int n = Math.min(body.length - i, 1 + random.nextInt(maxChunk));
                scanner.feed(body, i, n);
                i += n;
            }
            scanner.finish();

            assertThat(recorder.parts)
                    .as("round %d", round)
                    .extracting(Part::headers)
                    .containsExactly(
                            new MultipartScanner.PartHeaders("note", null, null),
                            new MultipartScanner.PartHeaders("file", "scène 1.bin", "application/octet-stream"),
                            new MultipartScanner.PartHeaders("empty", null, "text/plain"));
            assertThat(recorder.parts.get(0).content()).isEqualTo("hello\r\n--not-the-boundary".getBytes());
            assertThat(recorder.parts.get(1).content()).as("round %d", round).isEqualTo(file);
            assertThat(recorder.parts.get(2).content()).isEmpty();
        }
    }

    @Test
    void acceptsAQuotedBoundaryAndRefusesAMissingOrInvalidOne() {
        assertThat(MultipartScanner.boundary("\"abc def\"")).isEqualTo("abc def");
        assertThat(MultipartScanner.boundary("----WebKitFormBoundary7MA4YWxkTrZu0gW"))
                .isEqualTo("----WebKitFormBoundary7MA4YWxkTrZu0gW");
        for (String invalid : new String[] {null, "", "ends-with-space ", "x".repeat(71), "semi;colon"}) {
            assertThatThrownBy(() -> MultipartScanner.boundary(invalid))
                    .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(
                                    problem.getStatusCode().value())
                            .isEqualTo(400));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // body ends inside the file part
                "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc",
                // no closing delimiter at all
                "no boundary anywhere",
                // part without Content-Disposition
                "--B\r\nContent-Type: text/plain\r\n\r\nabc\r\n--B--",
                // something other than CRLF or -- after the delimiter
                "--Bxx\r\n",
                // a header line without a name
                "--B\r\nnot a header\r\n\r\nabc\r\n--B--",
                // a part without any header line (MultipartScannerFuzzTests found it a StringIndexOutOfBounds)
                "--B\r\n\r\nabc\r\n--B--",
                // a value Spring's ContentDisposition.parse fails on with StringIndexOutOfBounds (fuzzer finding)
                "--B\r\nContent-Disposition: form-data; namel\"eif=\"; filename=\"a\"\r\n\r\nabc\r\n--B--"
            })
    void refusesMalformedBodiesWithBadRequest(String body) {
        MultipartScanner scanner = new MultipartScanner("B", new Recorder());
        assertThatThrownBy(() -> {
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    scanner.feed(bytes, 0, bytes.length);
                    scanner.finish();
                })
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        problem -> assertThat(problem.getStatusCode().value()).isEqualTo(400));
    }

    @Test
    void refusesOverlongPartHeaders() {
        MultipartScanner scanner = new MultipartScanner("B", new Recorder());
        byte[] bytes = ("--B\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Long: "
                        + "x".repeat(MultipartScanner.MAX_HEADER_BYTES) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> scanner.feed(bytes, 0, bytes.length))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("headers");
    }

    /** Random bytes sprinkled with CRLFs, dashes and cut-off copies of the delimiter. */
    static byte[] tricky(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        byte[] almost = ("\r\n--" + BOUNDARY).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + almost.length < length; i += 1 + random.nextInt(5000)) {
            int n = random.nextInt(almost.length - 1); // never the whole delimiter
            System.arraycopy(almost, 0, bytes, i, n);
        }
        return bytes;
    }

    static byte[] body(String boundary, String preamble, byte[] file, String epilogue) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n"
                        + "hello\r\n--not-the-boundary\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(("--" + boundary + "  \r\ncontent-disposition: form-data; name=\"file\"; "
                        + "filename=\"x.bin\"; filename*=UTF-8''sc%C3%A8ne%201.bin\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"empty\"\r\n"
                        + "Content-Type: text/plain\r\n\r\n\r\n--" + boundary + "--" + epilogue)
                .getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    record Part(MultipartScanner.PartHeaders headers, ByteArrayOutputStream bytes) {
        byte[] content() {
            return bytes.toByteArray();
        }
    }

    static final class Recorder implements MultipartScanner.Listener {

        final List<Part> parts = new ArrayList<>();
        private boolean open;

        @Override
        public void partStart(MultipartScanner.PartHeaders headers) {
            assertThat(open).as("a part starts while another is open").isFalse();
            parts.add(new Part(headers, new ByteArrayOutputStream()));
            open = true;
        }

        @Override
        public void partBody(byte[] bytes, int offset, int length) {
            assertThat(open).isTrue();
            assertThat(length).isPositive();
            parts.get(parts.size() - 1).bytes().write(bytes, offset, length);
        }

        @Override
        public void partEnd() {
            assertThat(open).isTrue();
            open = false;
        }
    }
}
