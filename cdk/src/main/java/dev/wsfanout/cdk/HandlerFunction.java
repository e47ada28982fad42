package dev.wsfanout.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.AspectOptions;
import software.amazon.awscdk.AspectPriority;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * One handler of the jar as a Java 21 arm64 function with SnapStart, published as a version behind
 * the alias {@value #ALIAS}: every trigger invokes the alias, so every invocation restores from a
 * snapshot. Its role starts empty but for its own log group; {@link #allow} adds each data action.
 */
public final class HandlerFunction extends Construct {

    public static final String ALIAS = "live";

    private final JarHandler kind;
    private final DeployConfig config;
    private final Function function;
    private final Alias alias;
    private final Role role;
    private Map<String, String> environment;

    /** A cell's function, sized by its knobs; CloudFormation names its role. */
    public HandlerFunction(Construct scope, FanoutFunction kind, DeployConfig config, Code code,
                           Map<String, String> environment) {
        this(scope, kind, config.function(kind), Optional.empty(), config, code, environment);
    }

    /**
     * @param roleName the role's fixed name, for a role another account's policy names before this
     *                 stack exists; empty = CloudFormation names it
     */
    public HandlerFunction(Construct scope, JarHandler kind, FunctionSettings settings, Optional<String> roleName,
                           DeployConfig config, Code code, Map<String, String> environment) {
        super(scope, Character.toUpperCase(kind.key().charAt(0)) + kind.key().substring(1));
        this.kind = kind;
        this.config = config;
        this.environment = Map.copyOf(environment);
        // Before anything is built: CreateFunction would refuse it only minutes into a deploy.
        requireEnvironmentFits(this.environment);
        LogGroup logGroup = LogGroup.Builder.create(this, "Logs")
                .retention(LogRetention.ofDays(config.logRetentionDays()))
                .removalPolicy(config.removalPolicy())
                .build();
        Role.Builder roleBuilder = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("wsfanout " + kind.key() + " function");
        roleName.ifPresent(roleBuilder::roleName);
        role = roleBuilder.build();
        logGroup.grantWrite(role);

        Function.Builder builder = Function.Builder.create(this, "Function")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(kind.handler())
                .code(code)
                .memorySize(settings.memoryMb())
                .timeout(Duration.seconds(settings.timeoutSeconds()))
                .environment(environment)
                .role(role)
                .logGroup(logGroup)
                .loggingFormat(LoggingFormat.JSON)
                .applicationLogLevelV2(config.logLevel())
                // INFO keeps the platform's REPORT line: duration, memory and the SnapStart restore time.
                .systemLogLevelV2(SystemLogLevel.INFO)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .tracing(config.xray() ? Tracing.ACTIVE : Tracing.DISABLED);
        settings.reservedConcurrency().ifPresent(builder::reservedConcurrentExecutions);
        function = builder.build();
        // CDK warns before it can see the version below; the alias publishes one on every code change.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "published through currentVersion behind the alias '" + ALIAS + "'");
        alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();

        NagSuppressions.addResourceSuppressions(function, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("Java 21 is the runtime the handlers are built and tested for (the local runtime runs the "
                        + "same major); move to a newer Java runtime only after measuring its SnapStart restore")
                .build()));
        if (config.xray()) {
            suppressOnEveryPolicy(List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-IAM5")
                    .reason("xray=true: X-Ray PutTraceSegments/PutTelemetryRecords take no resource-level permissions")
                    .appliesTo(List.of("Resource::*"))
                    .build()));
        }
    }

    /**
     * Suppresses cdk-nag findings on every policy of this function's role: the default policy and
     * the overflow managed policies CDK splits off when the default policy outgrows IAM's inline
     * limit (postMessage's from about 28 shards, as each shard's event source adds its own
     * statements; query's from about 70). CDK creates those during synthesis, after this constructor, so a suppression put
     * on the role here would miss them; an aspect marks each resource under the role when it is
     * visited, before the AwsSolutions checks (priority {@code MUTATING} runs first) read it. Each
     * suppression names the exact finding it covers ({@code appliesTo}), so any other wildcard in any
     * of the policies still fails the checks.
     */
    public void suppressOnEveryPolicy(List<NagPackSuppression> suppressions) {
        List<NagPackSuppression> copy = List.copyOf(suppressions);
        Aspects.of(role).add(new IAspect() {
            @Override
            public void visit(IConstruct node) {
                if (CfnResource.isCfnResource(node)) {
                    NagSuppressions.addResourceSuppressions(node, copy);
                }
            }
        }, AspectOptions.builder().priority(AspectPriority.MUTATING).build());
    }

    /**
     * Adds a variable whose value exists only once the function does (the endpoint of the API its
     * route belongs to), held to the same 4 KB as the rest.
     */
    public void addEnvironment(String name, String value) {
        Map<String, String> grown = new LinkedHashMap<>(environment);
        grown.put(name, value);
        requireEnvironmentFits(grown);
        function.addEnvironment(name, value);
        environment = Map.copyOf(grown);
    }

    private void requireEnvironmentFits(Map<String, String> candidate) {
        LambdaEnvironmentBudget.require(kind, candidate, Stack.of(this).getStackName(), config.stageName(),
                config.fanout().shardCount());
    }

    /** Grants the function {@code actions} on exactly {@code resourceArns}. */
    public void allow(List<String> actions, String... resourceArns) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(actions)
                .resources(List.of(resourceArns))
                .build());
    }

    public Function function() {
        return function;
    }

    /** What triggers invoke. */
    public Alias alias() {
        return alias;
    }

    public Role role() {
        return role;
    }

    /** The environment as handed to the function (tokens unresolved). */
    public Map<String, String> environment() {
        return environment;
    }
}
