package dev.wsfanout.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Heap allocated so far by the live threads of this JVM, per thread
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}); the difference of two
 * snapshots is what those threads allocated in between.
 */
public final class ThreadAllocations {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> bytesById;
    private final Map<Long, String> nameById;

    private ThreadAllocations(Map<Long, Long> bytesById, Map<Long, String> nameById) {
        this.bytesById = bytesById;
        this.nameById = nameById;
    }

    public static ThreadAllocations now() {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        Map<Long, Long> b = new HashMap<>();
        Map<Long, String> n = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && bytes[i] >= 0) {
                b.put(ids[i], bytes[i]);
                n.put(ids[i], infos[i].getThreadName());
            }
        }
        return new ThreadAllocations(b, n);
    }

    /** Bytes allocated since {@code before} by threads whose name {@code threadName} accepts (threads born since count in full). */
    public long since(ThreadAllocations before, Predicate<String> threadName) {
        long total = 0;
        for (Map.Entry<Long, Long> e : bytesById.entrySet()) {
            if (threadName.test(nameById.get(e.getKey()))) {
                total += e.getValue() - before.bytesById.getOrDefault(e.getKey(), 0L);
            }
        }
        return total;
    }
}
