package dev.wsfanout.cdk;

/**
 * The function of the home Region's global stack (docs/cells.md). It has no size knobs of its own:
 * its timeout follows {@link DeployConfig#cellWaitSeconds()}.
 */
public enum GlobalFunction implements JarHandler {
    CELL_BROADCAST("cellBroadcast", "CellBroadcastHandler", 512);

    /**
     * What one call needs besides waiting for a cell's execution: assuming the cell's role, the
     * StartExecution or DescribeExecution call in the cell's Region and the sequence claim.
     */
    static final int CALL_MARGIN_SECONDS = 30;

    private final String key;
    private final String handlerClass;
    private final int memoryMb;

    GlobalFunction(String key, String handlerClass, int memoryMb) {
        this.key = key;
        this.handlerClass = handlerClass;
        this.memoryMb = memoryMb;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String handlerClass() {
        return handlerClass;
    }

    /** Unreserved: the cross-cell machine runs at most one call per cell at a time. */
    public FunctionSettings settings(DeployConfig config) {
        return new FunctionSettings(memoryMb, config.cellWaitSeconds() + CALL_MARGIN_SECONDS);
    }
}
