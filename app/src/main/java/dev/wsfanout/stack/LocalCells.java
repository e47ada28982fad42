package dev.wsfanout.stack;

import dev.wsfanout.cells.CellBroadcast;
import dev.wsfanout.cells.CellExecutions;
import dev.wsfanout.cells.CellSfnClients;
import dev.wsfanout.cells.GlobalSequence;
import dev.wsfanout.handlers.CellBroadcastHandler;
import dev.wsfanout.local.dynamo.LocalTables;
import dev.wsfanout.local.lambda.LocalFunction;
import dev.wsfanout.local.sfn.LocalStepFunctions;
import dev.wsfanout.local.sfn.StepFunctionsServer;
import dev.wsfanout.local.sfn.TaskResources;
import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.CellsDefinitionSubstitutions;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.FanoutSchema;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Several cells on one machine (docs/cells.md): each a whole {@link LocalDeployment} with its own
 * gateway (so its own @connections limit), tables, queues and broadcast state machine, and a home
 * with the cross-cell state machine (statemachine/cells.asl.json) and the cellBroadcast function,
 * which reaches each cell through that cell's Step Functions endpoint, as it would through the
 * cell's Region on AWS.
 */
public final class LocalCells implements AutoCloseable {

    public static final String CELL_BROADCAST = "wsfanout-cellBroadcast";
    public static final String STATE_MACHINE = CellDirectory.CROSS_CELL_STATE_MACHINE_NAME;
    /** The home history table, in the first cell's dynalite (the home has no other table). */
    static final String HOME_HISTORY_TABLE = "wsfanout-home-history";
    /** Long enough that a status call rarely ends with RUNNING, short enough that a test's machine notices a stuck cell. */
    static final int CELL_WAIT_SECONDS = 10;
    /** Status calls wait, one per cell per running broadcast. */
    private static final int CELL_BROADCAST_CONCURRENCY = 64;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final List<LocalDeployment> cells = new ArrayList<>();
    private CellDirectory directory;
    private LocalStepFunctions stepFunctions;
    private StepFunctionsServer stepFunctionsServer;
    private String stateMachineArn;

    private LocalCells() {
    }

    /**
     * Starts {@code count} cells, cell {@code i} (1-based) with {@code optionsForCell.apply(i)}, and
     * the home's Step Functions endpoint on {@code stepFunctionsPort} (0 = a free one).
     */
    public static LocalCells start(int count, IntFunction<LocalDeploymentOptions> optionsForCell, int stepFunctionsPort) {
        if (count < 1) {
            throw new IllegalArgumentException("cells: " + count + "; at least 1");
        }
        LocalCells cells = new LocalCells();
        try {
            cells.startAll(count, optionsForCell, stepFunctionsPort);
            return cells;
        } catch (RuntimeException e) {
            cells.close();
            throw e;
        }
    }

    private void startAll(int count, IntFunction<LocalDeploymentOptions> optionsForCell, int stepFunctionsPort) {
        List<CellDirectory.Cell> entries = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            LocalDeployment cell = own(LocalDeployment.start(optionsForCell.apply(i)));
            cells.add(cell);
            entries.add(new CellDirectory.Cell(cellName(i), LocalDeployment.REGION, cell.stateMachineArn(), null,
                    cell.stepFunctionsEndpoint().toString()));
        }
        directory = new CellDirectory(entries);

        LocalDeployment home = cells.get(0);
        FanoutConfig homeConfig = FanoutConfig.fromEnv(Map.of(FanoutConfig.HISTORY_TABLE, HOME_HISTORY_TABLE));
        LocalTables.create(home.dynamo(), List.of(FanoutSchema.of(homeConfig).history()));
        CellSfnClients cellClients = own(CellSfnClients.onAws(directory));
        LocalFunction cellBroadcast = own(LocalFunction.ofStream(CELL_BROADCAST, new CellBroadcastHandler(new CellBroadcast(directory,
                        new GlobalSequence(home.dynamo(), HOME_HISTORY_TABLE), CellExecutions.realTime(directory, cellClients))),
                CELL_BROADCAST_CONCURRENCY, Duration.ofSeconds(CELL_WAIT_SECONDS + 30L)));
        stepFunctions = own(new LocalStepFunctions(TaskResources.builder()
                .function(cellBroadcast)
                .dynamoDb(home.dynamo())
                .region(LocalDeployment.REGION)
                .accountId(LocalDeployment.ACCOUNT)
                .build()));
        stepFunctionsServer = own(new StepFunctionsServer(stepFunctions, stepFunctionsPort).start());
        String definition = LocalDeployment.definition(CellsDefinitionSubstitutions.DEFINITION_FILE,
                new CellsDefinitionSubstitutions(LocalDeployment.functionArn(CELL_BROADCAST), CELL_WAIT_SECONDS).toMap());
        stateMachineArn = stepFunctions.createStateMachine(STATE_MACHINE, definition,
                "arn:aws:iam::" + LocalDeployment.ACCOUNT + ":role/wsfanout-local", "STANDARD").stateMachineArn();
    }

    /** cell-1, cell-2, ...: the local cells' names in the cross-cell input's {@code cells}. */
    public static String cellName(int oneBased) {
        return "cell-" + oneBased;
    }

    public List<LocalDeployment> cells() {
        return List.copyOf(cells);
    }

    public LocalDeployment cell(String name) {
        return cells.get(directory.names().indexOf(directory.cell(name).name()));
    }

    public CellDirectory directory() {
        return directory;
    }

    /** The home Step Functions endpoint, where the cross-cell state machine runs. */
    public URI stepFunctionsEndpoint() {
        return stepFunctionsServer.endpoint();
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    public LocalStepFunctions stepFunctions() {
        return stepFunctions;
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Stops the home, then every cell; never throws. */
    @Override
    public void close() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("local cells: closing " + resource.getClass().getSimpleName() + ": " + e);
            }
        }
    }
}
