package dev.projectdashboard.fileservice.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.fileservice.storage.Slab;
import dev.projectdashboard.fileservice.storage.SlabPool;
import dev.projectdashboard.starter.problem.ProblemException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.core.io.buffer.PooledDataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The upload pipeline without a server: pooled Netty buffers arriving on another thread in random-sized chunks,
 * cut into S3-part slabs. Every byte arrives in order, slabs have the part size, and every buffer is released
 * exactly once, on success and on refusal, even with Spring's DataBuffer discard hook downstream.
 */
class StreamedUploadTests {

    private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT);
    private static final String BOUNDARY = "----dashboardBoundary7MA4YWxkTrZu0gW";
    private static final int PART = 64 * 1024;

    @BeforeAll
    static void initialiseSpringClassesOffTheParallelThreads() {
        // in the service they are initialised at start-up; a class initialiser reads jars, which BlockHound refuses
        DataBufferUtils.release(BUFFERS.allocateBuffer(1));
        org.springframework.http.ContentDisposition.parse("form-data; name=\"x\"");
    }

    @Test
    void cutsTheFilePartIntoPartSizedSlabsKeepingEveryByte() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 40; round++) {
            // around the part size: less than one part, exactly n parts, n parts and a bit
            int length =
                    switch (round % 4) {
                        case 0 -> random.nextInt(PART);
                        case 1 -> PART * (1 + random.nextInt(4));
                        default -> PART * random.nextInt(4) + 1 + random.nextInt(PART);
                    };
            byte[] file = MultipartScannerTests.tricky(random, length);
            List<DataBuffer> sent = new CopyOnWriteArrayList<>();
            StreamedUpload upload = new StreamedUpload(BOUNDARY, new SlabPool(PART, 4), 10L * PART, -1, headers -> {});

            List<Slab> slabs = upload.slabs(chunks(MultipartScannerTests.body(BOUNDARY, "", file, ""), random, sent))
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                    .collectList()
                    .block(Duration.ofSeconds(10));

            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int i = 0; i < slabs.size(); i++) {
                Slab slab = slabs.get(i);
                assertThat(slab.number()).isEqualTo(i + 1);
                assertThat(slab.last()).isEqualTo(i == slabs.size() - 1);
                if (!slab.last()) {
                    assertThat(slab.length()).isEqualTo(PART);
                }
                joined.write(slab.bytes(), 0, slab.length());
            }
            assertThat(joined.toByteArray()).as("round %d", round).isEqualTo(file);
            assertThat(slabs.get(slabs.size() - 1).length()).isPositive().isLessThanOrEqualTo(PART);
            assertThat(upload.size()).isEqualTo(file.length);
            assertThat(upload.sha256Hex())
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
            assertThat(upload.file().filename()).isEqualTo("scène 1.bin");
            assertReleasedOnce(sent);
        }
    }

    @Test
    void anEmptyFileIsOneEmptyLastSlab() {
        StreamedUpload upload = new StreamedUpload(BOUNDARY, new SlabPool(PART, 4), PART, -1, headers -> {});
        StepVerifier.create(upload.slabs(
                        chunks(MultipartScannerTests.body(BOUNDARY, "", new byte[0], ""), new Random(1), null)))
                .assertNext(slab -> {
                    assertThat(slab.length()).isZero();
                    assertThat(slab.last()).isTrue();
                })
                .verifyComplete();
    }

    @Test
    void aRefusedFilePartIsReadToTheEndThenRefusedReleasingEveryBufferOnce() {
        List<DataBuffer> sent = new CopyOnWriteArrayList<>();
        StreamedUpload upload = new StreamedUpload(BOUNDARY, new SlabPool(PART, 4), 10L * PART, -1, headers -> {
            throw new ProblemException(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "no");
        });
        byte[] body = MultipartScannerTests.body(BOUNDARY, "", new byte[3 * PART], "");

        StepVerifier.create(upload.slabs(chunks(body, new Random(3), sent))
                        .doOnDiscard(DataBuffer.class, DataBufferUtils::release))
                .expectErrorSatisfies(error -> assertThat(
                                ((ProblemException) error).getStatusCode().value())
                        .isEqualTo(415))
                .verify(Duration.ofSeconds(10));

        assertThat(sent.stream().mapToInt(DataBuffer::capacity).sum())
                .as("the whole body was read")
                .isGreaterThanOrEqualTo(body.length);
        assertReleasedOnce(sent);
    }

    @Test
    void bytesBeyondTheLimitStopTheRequestAtOnceWith413() {
        List<DataBuffer> sent = new CopyOnWriteArrayList<>();
        StreamedUpload upload = new StreamedUpload(BOUNDARY, new SlabPool(PART, 4), 2L * PART, -1, headers -> {});
        byte[] body = MultipartScannerTests.body(BOUNDARY, "", new byte[20 * PART], "");

        StepVerifier.create(upload.slabs(chunks(body, new Random(4), sent))
                        .doOnDiscard(DataBuffer.class, DataBufferUtils::release))
                .thenConsumeWhile(slab -> true)
                .expectErrorSatisfies(error -> assertThat(
                                ((ProblemException) error).getStatusCode().value())
                        .isEqualTo(413))
                .verify(Duration.ofSeconds(10));

        assertThat(sent.stream().mapToInt(DataBuffer::capacity).sum())
                .as("stopped long before the end")
                .isLessThan(body.length / 2);
        assertReleasedOnce(sent);
    }

    @Test
    void aSecondFilePartIsRefusedWithBadRequest() {
        String twoFiles = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\naaa\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b\"\r\n\r\nbbb\r\n--B--\r\n";
        StreamedUpload upload = new StreamedUpload("B", new SlabPool(PART, 4), PART, -1, headers -> {});
        StepVerifier.create(upload.slabs(chunks(twoFiles.getBytes(), new Random(5), null)))
                .expectErrorSatisfies(error -> assertThat(error).hasMessageContaining("one file per request"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aBodyWithoutAFilePartIsRefusedWithBadRequest() {
        String noFile = "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--B--\r\n";
        StreamedUpload upload = new StreamedUpload("B", new SlabPool(PART, 4), PART, -1, headers -> {});
        StepVerifier.create(upload.slabs(chunks(noFile.getBytes(), new Random(6), null)))
                .expectErrorSatisfies(error -> assertThat(
                                ((ProblemException) error).getStatusCode().value())
                        .isEqualTo(400))
                .verify(Duration.ofSeconds(5));
    }

    /** Pooled buffers made lazily (a cancelled source allocates no more), emitted on another thread. */
    private static Flux<DataBuffer> chunks(byte[] all, Random random, List<DataBuffer> sent) {
        int[] at = {0};
        return Flux.<DataBuffer>generate(sink -> {
                    if (at[0] == all.length) {
                        sink.complete();
                        return;
                    }
                    int n = Math.min(all.length - at[0], 1 + random.nextInt(16384));
                    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(n);
                    buf.writeBytes(all, at[0], n);
                    at[0] += n;
                    DataBuffer buffer = BUFFERS.wrap(buf);
                    if (sent != null) {
                        sent.add(buffer);
                    }
                    sink.next(buffer);
                })
                .subscribeOn(Schedulers.parallel());
    }

    private static void assertReleasedOnce(List<DataBuffer> sent) {
        // a second release would have thrown IllegalReferenceCountException into the pipeline
        assertThat(sent).allSatisfy(buffer -> assertThat(((PooledDataBuffer) buffer).isAllocated())
                .isFalse());
    }
}
