package dev.projectdashboard.fileservice.files;

import dev.projectdashboard.fileservice.domain.FileNames;
import dev.projectdashboard.fileservice.storage.Slab;
import dev.projectdashboard.fileservice.storage.SlabPool;
import dev.projectdashboard.starter.problem.ProblemException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One upload request, from its raw multipart body to {@link Slab}s of one S3 part each: the part named
 * {@code file} is cut into slabs of {@code partSize} bytes (the last one shorter), counted against the size limit
 * and hashed (SHA-256) on the way; every other part is skipped.
 *
 * <p>A file part that is refused when its headers arrive (bad name or type), or a second file part, does not cancel
 * the request at once: the rest of the body is read (and thrown away) so the client, still sending, gets the 4xx
 * answer instead of a reset connection; the refusal is raised at the end of the body, before anything is
 * committed. Bytes beyond the size limit always stop the request at once with 413.
 */
final class StreamedUpload implements MultipartScanner.Listener {

    static final String FILE_PART = "file";

    private static final int FIRST_SLAB = 64 * 1024;

    private final MultipartScanner scanner;
    private final SlabPool pool;
    private final int partSize;
    private final long maxSize;
    private final long maxBody;
    private final int firstSlab;
    private final Consumer<MultipartScanner.PartHeaders> fileCheck;
    private final MessageDigest sha;

    private MultipartScanner.PartHeaders file;
    private boolean inFile;
    private RuntimeException refused;
    private long size;
    private long bodyBytes;
    private int slabNumber;
    private byte[] slab;
    private int filled;
    private final List<Slab> completed = new ArrayList<>(1);

    /**
     * @param boundary the request's multipart boundary
     * @param pool where slabs of one S3 part each come from
     * @param maxSize largest file accepted; more file bytes end the request with 413
     * @param expectedLength the request's Content-Length when known, to size the first slab; otherwise -1
     * @param fileCheck validates the file part's headers (name, content type); throws {@link ProblemException}
     */
    StreamedUpload(
            String boundary,
            SlabPool pool,
            long maxSize,
            long expectedLength,
            Consumer<MultipartScanner.PartHeaders> fileCheck) {
        this.scanner = new MultipartScanner(boundary, this);
        this.pool = pool;
        this.partSize = pool.size();
        this.maxSize = maxSize;
        // form fields and part headers around the file are small: anything beyond this margin is not an upload
        this.maxBody = maxSize + 1024 * 1024;
        this.firstSlab = (int) Math.min(partSize, expectedLength > 0 ? expectedLength : FIRST_SLAB);
        // a body that is surely larger than one part starts with a pooled part-sized array
        this.fileCheck = fileCheck;
        this.sha = FileService.sha256();
    }

    /**
     * The slabs of the file part of {@code body}, in order; the last one has {@link Slab#last()} set (an empty
     * file is one empty last slab).
     *
     * <p>Each inbound buffer is released exactly once, by {@link #feed} after it was copied. {@code handle} is the
     * one operator that sees buffers: it neither queues nor discards them, even when it ends the flux with an error
     * (a mapper of {@code concatMapIterable} that throws has its input discarded: a second release through Spring's
     * discard hook). Prefetch 1 downstream: the next slab is filled only when the previous one has been taken.
     */
    Flux<Slab> slabs(Flux<DataBuffer> body) {
        return body.<List<Slab>>handle((buffer, sink) -> {
                    List<Slab> slabs;
                    try {
                        slabs = feed(buffer);
                    } catch (RuntimeException refused) {
                        sink.error(refused);
                        return;
                    }
                    if (!slabs.isEmpty()) {
                        sink.next(slabs);
                    }
                })
                .concatWith(Mono.fromSupplier(this::finish))
                .concatMapIterable(slabs -> slabs, 1);
    }

    /** The file part's headers; set once the first slab has been emitted. */
    MultipartScanner.PartHeaders file() {
        return file;
    }

    long size() {
        return size;
    }

    String sha256Hex() {
        return HexFormat.of().formatHex(sha.digest());
    }

    List<Slab> feed(DataBuffer buffer) {
        try {
            bodyBytes += buffer.readableByteCount();
            if (bodyBytes > maxBody) {
                throw FileService.tooLarge(maxSize);
            }
            completed.clear();
            scanner.feed(buffer);
            return completed.isEmpty() ? List.of() : List.copyOf(completed);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    List<Slab> finish() {
        scanner.finish();
        if (refused != null) {
            throw refused;
        }
        if (file == null) {
            throw FileNames.invalid(FILE_PART, "a multipart part named 'file' with a filename is required");
        }
        return List.of(new Slab(slabNumber + 1, slab, filled, true));
    }

    @Override
    public void partStart(MultipartScanner.PartHeaders headers) {
        if (!FILE_PART.equals(headers.name()) || refused != null) {
            return;
        }
        if (file != null) {
            refused = new ProblemException(HttpStatus.BAD_REQUEST, "Send one file per request");
            return;
        }
        if (headers.filename() == null) {
            refused = FileNames.invalid(FILE_PART, "the 'file' part must carry a filename");
            return;
        }
        try {
            fileCheck.accept(headers);
        } catch (ProblemException refusal) {
            refused = refusal;
            return;
        }
        file = headers;
        inFile = true;
        slab = firstSlab == partSize ? pool.take() : new byte[firstSlab];
    }

    @Override
    public void partBody(byte[] bytes, int offset, int length) {
        if (!inFile) {
            return;
        }
        size += length;
        if (size > maxSize) {
            throw FileService.tooLarge(maxSize);
        }
        sha.update(bytes, offset, length);
        int done = 0;
        while (done < length) {
            if (filled == slab.length) {
                if (slab.length < partSize) {
                    slab = Arrays.copyOf(slab, (int) Math.min(partSize, 2L * slab.length));
                } else {
                    completed.add(new Slab(++slabNumber, slab, filled, false));
                    slab = pool.take();
                    filled = 0;
                }
            }
            int n = Math.min(length - done, slab.length - filled);
            System.arraycopy(bytes, offset + done, slab, filled, n);
            filled += n;
            done += n;
        }
    }

    @Override
    public void partEnd() {
        inFile = false;
    }
}
