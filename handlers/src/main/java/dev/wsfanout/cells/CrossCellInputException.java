package dev.wsfanout.cells;

/** The cross-cell broadcast's input breaks a rule (statemachine/cells.asl.json catches it by this name). */
public final class CrossCellInputException extends IllegalArgumentException {
    public CrossCellInputException(String message) {
        super(message);
    }
}
