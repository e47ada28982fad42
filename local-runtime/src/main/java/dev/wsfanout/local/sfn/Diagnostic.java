package dev.wsfanout.local.sfn;

/**
 * One finding of definition validation, shaped like ValidateStateMachineDefinition's diagnostics:
 * severity ERROR or WARNING, a code such as SCHEMA_VALIDATION_FAILED, a message and the JSON
 * pointer of the offending field ("/States/Foo/Next").
 */
public record Diagnostic(String severity, String code, String message, String location) {

    static Diagnostic error(String code, String location, String message) {
        return new Diagnostic("ERROR", code, message, location);
    }

    /** The form AWS puts into an InvalidDefinition message: "CODE: message at location". */
    @Override
    public String toString() {
        return code + ": " + message + " at " + location;
    }
}
