package dev.wsfanout.cdk;

import java.util.ArrayList;
import java.util.List;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * How every wsfanout state machine (a cell's broadcast machine, the home Region's cross-cell one)
 * logs and traces, as {@code stateMachineLogLevel} and {@code xray} say, and the cdk-nag findings
 * those knobs leave, each suppressed with the knob that explains it.
 */
final class MachineObservability {

    private MachineObservability() {
    }

    /** Tracing, and unless the level is OFF a log group {@code Logs} under {@code scope}. */
    static void configure(Construct scope, StateMachine.Builder builder, DeployConfig config) {
        builder.tracingEnabled(config.xray());
        if (config.stateMachineLogLevel() != LogLevel.OFF) {
            builder.logs(LogOptions.builder()
                    .destination(LogGroup.Builder.create(scope, "Logs")
                            .retention(LogRetention.ofDays(config.logRetentionDays()))
                            .removalPolicy(config.removalPolicy())
                            .build())
                    .level(config.stateMachineLogLevel())
                    // The message can be any JSON a user broadcasts; it stays in the execution history only.
                    .includeExecutionData(false)
                    .build());
        }
    }

    /**
     * @param timeline what shows an execution's timeline without X-Ray, for the SF2 reason
     */
    static void suppressFindings(DeployConfig config, Role role, StateMachine stateMachine, String timeline) {
        if (config.stateMachineLogLevel() != LogLevel.OFF || config.xray()) {
            NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-IAM5")
                    .reason("CloudWatch Logs vended log delivery (logs:CreateLogDelivery, ...) and X-Ray trace upload "
                            + "accept no resource-level permissions; no data action is granted on *")
                    .appliesTo(List.of("Resource::*"))
                    .build()), true);
        }
        List<NagPackSuppression> machineFindings = new ArrayList<>();
        if (config.stateMachineLogLevel() != LogLevel.ALL) {
            machineFindings.add(NagPackSuppression.builder()
                    .id("AwsSolutions-SF1")
                    .reason("stateMachineLogLevel=" + config.stateMachineLogLevel() + " by choice: the execution "
                            + "history already records every state for 90 days; ALL would log every event of every "
                            + "broadcast again (set -c stateMachineLogLevel=ALL to debug)")
                    .build());
        }
        if (!config.xray()) {
            machineFindings.add(NagPackSuppression.builder()
                    .id("AwsSolutions-SF2")
                    .reason("xray=false by default: " + timeline + "; set -c xray=true to trace the state machine "
                            + "and the functions")
                    .build());
        }
        if (!machineFindings.isEmpty()) {
            NagSuppressions.addResourceSuppressions(stateMachine, machineFindings);
        }
    }
}
