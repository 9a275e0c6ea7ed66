package dev.projectdashboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class GeneratedPayloadTests {

    private static final long SIZE = (3L << 20) + 12345; // crosses pool blocks and ends mid-block

    @Test
    void framesThePayloadAndHashesOnlyThePayload() throws Exception {
        byte[] prefix = "head\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = "\r\ntail".getBytes(StandardCharsets.US_ASCII);
        GeneratedPayload payload = new GeneratedPayload(7, SIZE, prefix, suffix);

        byte[] all = readInOddChunks(payload);

        assertThat(all).hasSize((int) payload.contentLength());
        assertThat(payload.contentLength()).isEqualTo(prefix.length + SIZE + suffix.length);
        assertThat(Arrays.copyOfRange(all, 0, prefix.length)).isEqualTo(prefix);
        assertThat(Arrays.copyOfRange(all, all.length - suffix.length, all.length))
                .isEqualTo(suffix);
        byte[] body = Arrays.copyOfRange(all, prefix.length, all.length - suffix.length);
        String expected = HexFormat.of().formatHex(GeneratedPayload.sha256().digest(body));
        assertThat(payload.payloadSha256()).isEqualTo(expected);
        assertThat(payload.read()).isEqualTo(-1);
    }

    @Test
    void sameSeedSameBytesAndBlocksDiffer() throws Exception {
        byte[] first = readInOddChunks(new GeneratedPayload(42, SIZE, new byte[0], new byte[0]));
        byte[] second = readInOddChunks(new GeneratedPayload(42, SIZE, new byte[0], new byte[0]));
        byte[] other = readInOddChunks(new GeneratedPayload(43, SIZE, new byte[0], new byte[0]));

        assertThat(first).isEqualTo(second).isNotEqualTo(other);
        // each MiB is a different rotation of the pool, not a repeated block
        assertThat(Arrays.copyOfRange(first, 0, 1 << 20)).isNotEqualTo(Arrays.copyOfRange(first, 1 << 20, 2 << 20));
    }

    private static byte[] readInOddChunks(GeneratedPayload payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[70_001];
        for (int n; (n = payload.read(buffer, 0, buffer.length)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
