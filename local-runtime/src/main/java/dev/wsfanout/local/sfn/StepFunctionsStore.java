package dev.wsfanout.local.sfn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Everything the local service remembers: state machines, executions (children included) and map runs, by ARN. */
final class StepFunctionsStore {

    private final Map<String, StateMachine> stateMachines = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final Map<String, MapRun> mapRuns = new ConcurrentHashMap<>();

    /** Stores {@code machine} unless one with its ARN exists; returns the stored one. */
    StateMachine putStateMachineIfAbsent(StateMachine machine) {
        StateMachine existing = stateMachines.putIfAbsent(machine.arn(), machine);
        return existing == null ? machine : existing;
    }

    void replaceStateMachine(StateMachine machine) {
        stateMachines.put(machine.arn(), machine);
    }

    StateMachine stateMachine(String arn) {
        return stateMachines.get(arn);
    }

    StateMachine removeStateMachine(String arn) {
        return stateMachines.remove(arn);
    }

    List<StateMachine> stateMachines() {
        List<StateMachine> all = new ArrayList<>(stateMachines.values());
        all.sort(Comparator.comparing(m -> m.description().creationDate()));
        return all;
    }

    /** Stores {@code execution} unless one with its ARN exists; returns the stored one. */
    Execution putExecutionIfAbsent(Execution execution) {
        Execution existing = executions.putIfAbsent(execution.arn(), execution);
        return existing == null ? execution : existing;
    }

    Execution execution(String arn) {
        return executions.get(arn);
    }

    /** Executions newest first, as ListExecutions returns them. */
    List<Execution> executions() {
        List<Execution> all = new ArrayList<>(executions.values());
        all.sort(Comparator.comparing(Execution::startDate).reversed());
        return all;
    }

    void putMapRun(MapRun run) {
        mapRuns.put(run.arn(), run);
    }

    MapRun mapRun(String arn) {
        return mapRuns.get(arn);
    }
}
