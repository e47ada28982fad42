package dev.wsfanout.cells;

/** A rerun's number belongs to another broadcast (statemachine/cells.asl.json catches it by this name). */
public final class SequenceTakenException extends IllegalStateException {
    public SequenceTakenException(String message) {
        super(message);
    }
}
