package dev.projectdashboard.fileservice.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.core.io.buffer.PooledDataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The upload pipeline without a server: Spring's multipart parser on pooled Netty buffers arriving on another
 * thread in random-sized chunks, {@link FileController#fileParts} and a store that subscribes to the content late,
 * as {@link FileService#store} does after its database query. Every byte must arrive, every buffer be released
 * exactly once.
 */
class UploadPipelineTests {

    private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT);

    @Test
    void everyByteOfTheFilePartReachesALateSubscriber() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 60; round++) {
            byte[] content = new byte[50_000 + random.nextInt(400_000)];
            random.nextBytes(content);
            String boundary = "b0undary" + round;
            List<DataBuffer> sent = new CopyOnWriteArrayList<>();
            Flux<PartEvent> parts = parse(multipart(boundary, content), boundary, random, round, sent);
            long lateMillis = random.nextInt(3);

            List<String> received = FileController.fileParts(parts, (file, body) -> Mono.delay(
                                    Duration.ofMillis(lateMillis), Schedulers.boundedElastic())
                            .then(Mono.defer(() -> digest(body.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                                    .publishOn(Schedulers.single(), 2)))))
                    .collectList()
                    .block(Duration.ofSeconds(10));

            assertThat(received).as("round %d", round).containsExactly(content.length + ":" + sha256(content));
            assertThat(sent).allSatisfy(buffer -> assertThat(((PooledDataBuffer) buffer).isAllocated())
                    .isFalse());
        }
    }

    @Test
    void aRefusedBodyIsReleasedExactlyOnceEvenWithADiscardHookDownstream() {
        List<DataBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            buffers.add(BUFFERS.wrap(PooledByteBufAllocator.DEFAULT.buffer(16).writeZero(16)));
        }
        AtomicInteger releasedTwice = new AtomicInteger();
        // Spring's response writing puts such a hook into the context of the whole handler pipeline
        FileService.discard(Flux.fromIterable(buffers))
                .doOnDiscard(DataBuffer.class, buffer -> {
                    if (!((PooledDataBuffer) buffer).isAllocated()) {
                        releasedTwice.incrementAndGet();
                    }
                    DataBufferUtils.release(buffer);
                })
                .block(Duration.ofSeconds(5));

        assertThat(releasedTwice).hasValue(0);
        assertThat(buffers).allSatisfy(buffer -> assertThat(((PooledDataBuffer) buffer).isAllocated())
                .isFalse());
    }

    private static Mono<String> digest(Flux<DataBuffer> body) {
        return Mono.defer(() -> {
            MessageDigest sha = sha();
            long[] size = {0};
            return body.doOnNext(buffer -> {
                        byte[] copy = new byte[buffer.readableByteCount()];
                        buffer.read(copy);
                        DataBufferUtils.release(buffer);
                        size[0] += copy.length;
                        sha.update(copy);
                    })
                    .then(Mono.fromSupplier(() -> size[0] + ":" + HexFormat.of().formatHex(sha.digest())));
        });
    }

    private static Flux<PartEvent> parse(byte[] all, String boundary, Random random, int round, List<DataBuffer> sent) {
        List<int[]> slices = new ArrayList<>();
        for (int i = 0; i < all.length; ) {
            // even rounds: Netty's 8 KiB HTTP chunks; odd rounds: anything from 1 byte to 16 KiB
            int n = Math.min(all.length - i, round % 2 == 0 ? 8192 : 1 + random.nextInt(16384));
            slices.add(new int[] {i, n});
            i += n;
        }
        Flux<DataBuffer> body = Flux.fromIterable(slices)
                .map(slice -> {
                    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(slice[1]);
                    buf.writeBytes(all, slice[0], slice[1]);
                    DataBuffer buffer = BUFFERS.wrap(buf);
                    sent.add(buffer);
                    return buffer;
                })
                .subscribeOn(Schedulers.parallel())
                .publishOn(Schedulers.parallel(), 4);
        MockServerHttpRequest request = MockServerHttpRequest.post("/")
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + boundary))
                .body(body);
        return new PartEventHttpMessageReader().read(ResolvableType.forClass(PartEvent.class), request, Map.of());
    }

    private static byte[] multipart(String boundary, byte[] content) {
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        System.arraycopy(tail, 0, all, head.length + content.length, tail.length);
        return all;
    }

    private static String sha256(byte[] content) {
        return HexFormat.of().formatHex(sha().digest(content));
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
