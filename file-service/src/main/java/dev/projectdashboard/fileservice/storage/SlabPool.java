package dev.projectdashboard.fileservice.storage;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Part-sized byte arrays of streamed uploads, reused. Each is several MiB: in a small heap (the service runs with
 * {@code -Xmx128m}) a fresh one per part is a humongous allocation that the garbage collector reclaimed with full
 * collections, dozens per GiB uploaded. The pool keeps at most {@code upload-concurrency + 2} arrays (what one
 * upload holds at a time); beyond that, arrays are allocated and left to the collector. Lock-free, so safe on
 * event-loop threads.
 */
@Component
public class SlabPool {

    private final int size;
    private final int capacity;
    private final Queue<byte[]> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    @Autowired
    SlabPool(S3Properties properties) {
        this(Math.toIntExact(properties.uploadPartSize().toBytes()), properties.uploadConcurrency() + 2);
    }

    public SlabPool(int size, int capacity) {
        this.size = size;
        this.capacity = capacity;
    }

    /** Bytes per array: the upload part size. */
    public int size() {
        return size;
    }

    public byte[] take() {
        byte[] array = free.poll();
        if (array == null) {
            return new byte[size];
        }
        pooled.decrementAndGet();
        return array;
    }

    /** Returns an array nobody reads or writes any more; arrays of another size are left to the collector. */
    public void give(byte[] array) {
        if (array.length != size) {
            return;
        }
        if (pooled.incrementAndGet() <= capacity) {
            free.offer(array);
        } else {
            pooled.decrementAndGet();
        }
    }
}
