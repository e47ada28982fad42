package dev.wsfanout.bench;

import java.util.ArrayList;
import java.util.List;

/** Memory figures gathered by the sections, written together as the report's memory section. */
public final class MemoryLog {

    private final List<List<String>> rows = new ArrayList<>();

    public void add(String what, String when, String figure, String how) {
        rows.add(List.of(what, when, figure, how));
    }

    /** The processes' resident memory at this point of the run. */
    public void processes(String when, List<Long> clientPids) {
        add("bench JVM = the local stack (gateway, ElasticMQ, Step Functions, handlers)", when, ProcessMemory.self().describe(),
                "VmRSS / VmHWM of /proc/self/status; heap in use " + Format.mib(heapInUse()));
        ProcessMemory.dynalite().ifPresent(m -> add("dynalite (Node.js)", when, m.describe(), "VmRSS / VmHWM of /proc/<pid>/status"));
        if (!clientPids.isEmpty()) {
            add(clientPids.size() + " client JVMs together", when, ProcessMemory.sum(clientPids).describe(), "sum of VmRSS / VmHWM");
        }
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    private static long heapInUse() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
