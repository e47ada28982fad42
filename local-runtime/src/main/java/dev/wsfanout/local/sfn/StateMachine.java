package dev.wsfanout.local.sfn;

/** A created state machine: what DescribeStateMachine shows plus the parsed workflow the engine runs. */
record StateMachine(StateMachineDescription description, Workflow workflow) {

    String arn() {
        return description.stateMachineArn();
    }

    String name() {
        return description.name();
    }
}
