package dev.wsfanout.local.sfn;

import java.time.Instant;

/** A created state machine, as DescribeStateMachine reports it. {@code type} is STANDARD or EXPRESS. */
public record StateMachineDescription(String stateMachineArn, String name, String definition, String roleArn,
                                      String type, Instant creationDate) {
}
