package dev.wsfanout.local.sfn;

/** The ARNs the local service hands out, in AWS's formats, for one region and account. */
record Arns(String region, String accountId) {

    private String prefix() {
        return "arn:aws:states:" + region + ":" + accountId + ":";
    }

    String stateMachine(String name) {
        return prefix() + "stateMachine:" + name;
    }

    String execution(String stateMachineName, String executionName) {
        return prefix() + "execution:" + stateMachineName + ":" + executionName;
    }

    /** arn:aws:states:region:account:mapRun:machine/label:runId */
    String mapRun(String stateMachineName, String label, String runId) {
        return prefix() + "mapRun:" + stateMachineName + "/" + label + ":" + runId;
    }

    /** A Distributed Map's child workflow: arn:aws:states:region:account:stateMachine:machine/label */
    String childStateMachine(String stateMachineName, String label) {
        return prefix() + "stateMachine:" + stateMachineName + "/" + label;
    }

    /** An EXPRESS child execution: arn:aws:states:region:account:express:machine/label:runId:name */
    String childExecution(String stateMachineName, String label, String runId, String name) {
        return prefix() + "express:" + stateMachineName + "/" + label + ":" + runId + ":" + name;
    }

    /** A STANDARD child execution: arn:aws:states:region:account:execution:machine/label:name */
    String standardChildExecution(String stateMachineName, String label, String name) {
        return prefix() + "execution:" + stateMachineName + "/" + label + ":" + name;
    }
}
