package dev.projectdashboard.fileservice.files;

import dev.projectdashboard.starter.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;

/**
 * Incremental {@code multipart/form-data} (RFC 7578 / RFC 2046) parser over the raw request body, for uploads that
 * stream to S3.
 *
 * <p>Hand-written, not Spring's {@code PartEventHttpMessageReader}: on that reader about one large upload in seven
 * came back exactly 8 KiB short, at a quarter of a direct PUT's throughput (measured in {@code bench/REPORT.md},
 * "file-upload: notes"). This parser copies each chunk once into a heap window, finds the delimiter with a Horspool
 * search (it skips about the delimiter's length per comparison on file data) and hands body bytes to a
 * {@link Listener} straight from that window. It is single-threaded: one request, fed in order.
 *
 * <p>Not supported, on purpose: nested {@code multipart/mixed} parts (obsolete since RFC 7578) and header line
 * folding; a part's headers are at most {@value #MAX_HEADER_BYTES} bytes.
 */
public final class MultipartScanner {

    static final int MAX_HEADER_BYTES = 16 * 1024;

    /** Longest boundary RFC 2046 allows. */
    static final int MAX_BOUNDARY = 70;

    private static final int WINDOW = 64 * 1024;

    /** What a scanner finds, in body order. Methods may throw {@link ProblemException} to refuse the request. */
    interface Listener {

        void partStart(PartHeaders headers);

        /** Bytes of the current part's body; valid only during the call. */
        void partBody(byte[] bytes, int offset, int length);

        void partEnd();
    }

    /**
     * @param name the form field name ({@code Content-Disposition} {@code name})
     * @param filename the file name, {@code null} for a plain field ({@code filename*} wins over {@code filename})
     * @param contentType the part's {@code Content-Type}, {@code null} when absent
     */
    record PartHeaders(String name, String filename, String contentType) {}

    private enum State {
        PREAMBLE,
        AFTER_DELIMITER,
        HEADERS,
        BODY,
        EPILOGUE
    }

    private final Listener listener;
    /** {@code CRLF--boundary}: every delimiter, the first one too, as the stream is seeded with a CRLF. */
    private final byte[] delimiter;

    private final int[] skip = new int[256];
    private final byte[] window;
    /** Bytes at the start of {@link #window} held back from the previous chunk (a possible delimiter start). */
    private int carried;

    private State state = State.PREAMBLE;
    /** In {@link State#AFTER_DELIMITER}: the first of the two bytes that follow a delimiter, or 0. */
    private byte suffix;

    private final byte[] headers = new byte[MAX_HEADER_BYTES];
    private int headerLength;

    MultipartScanner(String boundary, Listener listener) {
        this.listener = listener;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.window = new byte[WINDOW + delimiter.length];
        int last = delimiter.length - 1;
        Arrays.fill(skip, delimiter.length);
        for (int i = 0; i < last; i++) {
            skip[delimiter[i] & 0xff] = last - i;
        }
        // the body starts with "--boundary"; seeding a CRLF makes the first delimiter look like every other one
        window[0] = '\r';
        window[1] = '\n';
        carried = 2;
    }

    /**
     * The boundary of a {@code multipart/form-data} content type, checked against RFC 2046's grammar.
     *
     * @throws ProblemException 400 when it is missing or malformed
     */
    public static String boundary(String boundaryParameter) {
        String boundary = boundaryParameter;
        if (boundary != null && boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
            boundary = boundary.substring(1, boundary.length() - 1);
        }
        if (boundary == null
                || boundary.isEmpty()
                || boundary.length() > MAX_BOUNDARY
                || !boundary.matches("[0-9A-Za-z'()+_,./:=? -]*[0-9A-Za-z'()+_,./:=?-]")) {
            throw new ProblemException(
                    HttpStatus.BAD_REQUEST, "multipart/form-data needs a valid boundary parameter (RFC 2046)");
        }
        return boundary;
    }

    /** Feeds the readable bytes of {@code buffer} (the buffer is read, not released). */
    void feed(DataBuffer buffer) {
        int remaining = buffer.readableByteCount();
        while (remaining > 0) {
            int n = Math.min(remaining, window.length - carried);
            buffer.read(window, carried, n);
            remaining -= n;
            scan(carried + n);
        }
    }

    void feed(byte[] bytes, int offset, int length) {
        int done = 0;
        while (done < length) {
            int n = Math.min(length - done, window.length - carried);
            System.arraycopy(bytes, offset + done, window, carried, n);
            done += n;
            scan(carried + n);
        }
    }

    /**
     * The body has ended.
     *
     * @throws ProblemException 400 when it ended before the closing delimiter
     */
    void finish() {
        if (state != State.EPILOGUE) {
            throw malformed("the multipart body ended before its closing boundary");
        }
    }

    /** Consumes {@code window[0, end)}; holds back at most a delimiter's length for the next chunk. */
    private void scan(int end) {
        int pos = 0;
        while (pos < end) {
            switch (state) {
                case PREAMBLE, BODY -> {
                    int found = indexOfDelimiter(pos, end);
                    if (found < 0) {
                        // the tail may be the start of a delimiter cut by the chunk boundary
                        int keep = Math.min(delimiter.length - 1, end - pos);
                        if (state == State.BODY && end - keep > pos) {
                            listener.partBody(window, pos, end - keep - pos);
                        }
                        System.arraycopy(window, end - keep, window, 0, keep);
                        carried = keep;
                        return;
                    }
                    if (state == State.BODY) {
                        if (found > pos) {
                            listener.partBody(window, pos, found - pos);
                        }
                        listener.partEnd();
                    }
                    pos = found + delimiter.length;
                    state = State.AFTER_DELIMITER;
                    suffix = 0;
                }
                case AFTER_DELIMITER -> pos = afterDelimiter(pos, end);
                case HEADERS -> pos = headers(pos, end);
                case EPILOGUE -> pos = end;
            }
        }
        carried = 0;
    }

    /** {@code --} closes the body, CRLF starts a part's headers; linear white space before the CRLF is padding. */
    private int afterDelimiter(int pos, int end) {
        while (pos < end) {
            byte b = window[pos++];
            if (suffix == 0) {
                if (b == '-' || b == '\r') {
                    suffix = b;
                } else if (b != ' ' && b != '\t') {
                    throw malformed("a boundary must be followed by CRLF or '--'");
                }
            } else if (suffix == '-' && b == '-') {
                state = State.EPILOGUE;
                return end;
            } else if (suffix == '\r' && b == '\n') {
                state = State.HEADERS;
                // seeded with the CRLF just read, so empty headers end at the first blank line, like any others
                headers[0] = '\r';
                headers[1] = '\n';
                headerLength = 2;
                return pos;
            } else {
                throw malformed("a boundary must be followed by CRLF or '--'");
            }
        }
        return pos;
    }

    private int headers(int pos, int end) {
        while (pos < end) {
            if (headerLength == headers.length) {
                throw malformed("the headers of a part are longer than " + MAX_HEADER_BYTES + " bytes");
            }
            headers[headerLength++] = window[pos++];
            if (headerLength >= 4
                    && headers[headerLength - 1] == '\n'
                    && headers[headerLength - 2] == '\r'
                    && headers[headerLength - 3] == '\n'
                    && headers[headerLength - 4] == '\r') {
                state = State.BODY;
                // between the seeded CRLF and the blank line; a part without any header line has none (found by
                // MultipartScannerFuzzTests: "--b\r\n\r\n" made this a negative length, a 500)
                int length = Math.max(0, headerLength - 6);
                listener.partStart(parseHeaders(new String(headers, 2, length, StandardCharsets.UTF_8)));
                return pos;
            }
        }
        return pos;
    }

    private static PartHeaders parseHeaders(String block) {
        String disposition = null;
        String contentType = null;
        for (String line : block.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("a part header line has no name");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-disposition")) {
                disposition = value;
            } else if (name.equals("content-type")) {
                contentType = value;
            }
        }
        if (disposition == null) {
            throw malformed("every part needs a Content-Disposition header");
        }
        ContentDisposition parsed;
        try {
            parsed = ContentDisposition.parse(disposition);
        } catch (IllegalArgumentException | IndexOutOfBoundsException invalid) {
            // Spring's parser throws StringIndexOutOfBounds on some malformed values, e.g. name"eif="; filename="…"
            // (found by MultipartScannerFuzzTests)
            throw malformed("a part has an invalid Content-Disposition header");
        }
        if (!parsed.isFormData() || parsed.getName() == null) {
            throw malformed("every part must be 'form-data' with a name");
        }
        return new PartHeaders(parsed.getName(), parsed.getFilename(), contentType);
    }

    /** Horspool search for the delimiter in {@code window[from, to)}. */
    private int indexOfDelimiter(int from, int to) {
        int last = delimiter.length - 1;
        byte lastByte = delimiter[last];
        int i = from;
        while (i + last < to) {
            byte b = window[i + last];
            if (b == lastByte && matchesAt(i, last)) {
                return i;
            }
            i += skip[b & 0xff];
        }
        return -1;
    }

    private boolean matchesAt(int at, int length) {
        for (int j = 0; j < length; j++) {
            if (window[at + j] != delimiter[j]) {
                return false;
            }
        }
        return true;
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "Malformed multipart body: " + detail);
    }
}
