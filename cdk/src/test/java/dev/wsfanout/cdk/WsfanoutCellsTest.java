package dev.wsfanout.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsfanout.model.CellDirectory;
import dev.wsfanout.model.CellsDefinitionSubstitutions;
import dev.wsfanout.model.DefinitionSubstitutions;
import dev.wsfanout.model.FanoutConfig;
import dev.wsfanout.model.FanoutSchema;
import dev.wsfanout.model.TableSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * A deployment of three cells in two accounts (docs/cells.md) with its home in a third, as
 * {@code cdk synth -c cells=... -c homeAccount=... -c homeRegion=...} builds it, synthesized once
 * with the AwsSolutions checks applied; and the context values that must refuse to build one.
 */
class WsfanoutCellsTest {

    private static final String CELLS = "111111111111/eu-west-1,111111111111/us-east-1,222222222222/eu-west-1";
    private static final String HOME_ACCOUNT = "333333333333";
    private static final String HOME_REGION = "eu-central-1";
    /** Account, Region and stack name of each cell, in the order of {@link #CELLS}. */
    private static final List<List<String>> CELL_STACKS = List.of(
            List.of("111111111111", "eu-west-1", "Wsfanout-111111111111-eu-west-1"),
            List.of("111111111111", "us-east-1", "Wsfanout-111111111111-us-east-1"),
            List.of("222222222222", "eu-west-1", "Wsfanout-222222222222-eu-west-1"));
    private static final String CELL_BROADCAST_ROLE =
            "arn:{AWS::Partition}:iam::333333333333:role/wsfanout-cell-broadcast-eu-central-1";

    private static Path handlersJar;
    private static App app;
    private static Path assembly;
    private static final Map<String, Template> TEMPLATES = new HashMap<>();
    private static final Map<String, Annotations> ANNOTATIONS = new HashMap<>();

    @BeforeAll
    static void synthesize() throws IOException {
        handlersJar = StackUnderTest.handlersJar(Files.createTempDirectory("wsfanout-cdk-cells"));
        app = StackUnderTest.appFromContext(context(Map.of(DeployContext.CELLS, CELLS,
                DeployContext.HOME_ACCOUNT, HOME_ACCOUNT, DeployContext.HOME_REGION, HOME_REGION)), Map.of());
        assembly = Path.of(app.synth().getDirectory());
        for (Stack stack : stacks(app)) {
            TEMPLATES.put(stack.getStackName(), Template.fromStack(stack));
            ANNOTATIONS.put(stack.getStackName(), Annotations.fromStack(stack));
        }
    }

    @Test
    void theAppHasOneStackPerCellInItsAccountAndRegionAndTheGlobalStackAtHome() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("WsfanoutGlobal", List.of(HOME_ACCOUNT, HOME_REGION));
        for (List<String> cell : CELL_STACKS) {
            expected.put(cell.get(2), List.of(cell.get(0), cell.get(1)));
        }
        Map<String, List<String>> stacks = new LinkedHashMap<>();
        for (Stack stack : stacks(app)) {
            stacks.put(stack.getStackName(), List.of(stack.getAccount(), stack.getRegion()));
        }
        assertEquals(expected, stacks);
    }

    @Test
    void theAwsSolutionsChecksFindNothingUnsuppressedOnAnyStack() {
        assertEquals(4, ANNOTATIONS.size());
        ANNOTATIONS.forEach((stack, annotations) -> {
            assertEquals(List.of(), StackUnderTest.nagErrors(annotations), stack);
            assertEquals(List.of(), StackUnderTest.nagWarnings(annotations), stack);
        });
    }

    @Test
    void eachCellsAccessRoleTrustsTheHomeAccountOnlyThroughTheCellBroadcastRole() {
        for (List<String> cell : CELL_STACKS) {
            Map<String, Object> role = cellAccessRole(cell);
            Map<String, Object> props = TemplateView.map(role.get("Properties"));
            assertEquals(CellDirectory.cellAccessRoleName(cell.get(1)), props.get("RoleName"));
            List<Object> trust = TemplateView.list(TemplateView.map(props.get("AssumeRolePolicyDocument")).get("Statement"));
            assertEquals(1, trust.size(), trust.toString());
            Map<String, Object> statement = TemplateView.map(trust.get(0));
            assertEquals("Allow", statement.get("Effect"));
            assertEquals("sts:AssumeRole", statement.get("Action"));
            assertEquals("arn:{AWS::Partition}:iam::" + HOME_ACCOUNT + ":root",
                    TemplateView.render(TemplateView.map(statement.get("Principal")).get("AWS")));
            Map<String, Object> condition = TemplateView.map(statement.get("Condition"));
            assertEquals(Set.of("ArnEquals"), condition.keySet());
            Map<String, Object> arnEquals = TemplateView.map(condition.get("ArnEquals"));
            assertEquals(Set.of("aws:PrincipalArn"), arnEquals.keySet());
            assertEquals(CELL_BROADCAST_ROLE, TemplateView.render(arnEquals.get("aws:PrincipalArn")));
        }
    }

    @Test
    void eachCellsAccessRoleMayStartItsBroadcastsAndDescribeTheirExecutionsAndNothingElse() {
        for (List<String> cell : CELL_STACKS) {
            Map<String, Object> props = TemplateView.map(cellAccessRole(cell).get("Properties"));
            assertNull(props.get("ManagedPolicyArns"));
            Set<String> lines = new TreeSet<>();
            for (Object policy : TemplateView.list(props.get("Policies"))) {
                lines.addAll(TemplateView.statementLines(TemplateView.map(TemplateView.map(policy).get("PolicyDocument"))));
            }
            assertEquals(Set.of("states:StartExecution on {BroadcastStateMachine}",
                    "states:DescribeExecution on arn:{AWS::Partition}:states:" + cell.get(1) + ":" + cell.get(0)
                            + ":execution:" + CellDirectory.CELL_STATE_MACHINE_NAME + ":*"), lines);
            // No policy resource adds to it either.
            assertFalse(view(cell.get(2)).permissionsByRole().containsKey("{CellAccessRole}"));
        }
    }

    @Test
    void eachCellsBroadcastMachineHasTheNameTheHomeAccountAddresses() {
        for (List<String> cell : CELL_STACKS) {
            template(cell.get(2)).hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                    "StateMachineName", CellDirectory.CELL_STATE_MACHINE_NAME)));
        }
    }

    @Test
    void theCellBroadcastFunctionListsTheThreeCellsAndTheHomeHistoryTable() {
        Map<String, Object> function = global().resource("CellBroadcastFunction");
        Map<String, Object> props = TemplateView.map(function.get("Properties"));
        assertEquals(GlobalFunction.CELL_BROADCAST.handler(), props.get("Handler"));
        assertEquals("java21", props.get("Runtime"));
        assertEquals(List.of("arm64"), props.get("Architectures"));
        assertEquals(Map.of("ApplyOn", "PublishedVersions"), props.get("SnapStart"));
        assertEquals(CellsDefinitionSubstitutions.DEFAULT_CELL_WAIT_SECONDS + GlobalFunction.CALL_MARGIN_SECONDS,
                props.get("Timeout"));
        Map<String, Object> env = TemplateView.map(TemplateView.map(props.get("Environment")).get("Variables"));
        assertEquals(Set.of(CellDirectory.ENV, FanoutConfig.HISTORY_TABLE), env.keySet());
        assertEquals(CellDirectory.parseDeployed(CELLS), CellDirectory.fromJson((String) env.get(CellDirectory.ENV)));
        assertEquals("{History}", TemplateView.render(env.get(FanoutConfig.HISTORY_TABLE)));
    }

    @Test
    void theHomeHistoryTableHasTheCellsHistorySchema() {
        TableSchema history = FanoutSchema.of(FanoutConfig.defaults()).history();
        Template template = template("WsfanoutGlobal");
        template.resourceCountIs("AWS::DynamoDB::Table", 1);
        template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "KeySchema", List.of(Map.of("AttributeName", history.partitionKey().name(), "KeyType", "HASH"),
                        Map.of("AttributeName", history.sortKey().name(), "KeyType", "RANGE")),
                "BillingMode", "PAY_PER_REQUEST",
                "TimeToLiveSpecification", Map.of("AttributeName", history.ttlAttribute(), "Enabled", true))));
    }

    @Test
    void theCellBroadcastRoleHasItsFixedNameAndMayAssumeExactlyTheCellsRoles() {
        TemplateView global = global();
        assertEquals(CellDirectory.cellBroadcastRoleName(HOME_REGION),
                TemplateView.map(global.resource("CellBroadcastRole").get("Properties")).get("RoleName"));
        Set<String> expected = new TreeSet<>(Set.of(
                "logs:CreateLogStream,logs:PutLogEvents on {CellBroadcastLogs.Arn}",
                "dynamodb:GetItem,dynamodb:PutItem,dynamodb:UpdateItem on {History.Arn}"));
        for (CellDirectory.Cell cell : CellDirectory.parseDeployed(CELLS).cells()) {
            expected.add("sts:AssumeRole on " + cell.roleArn());
        }
        assertEquals(expected, global.permissionsByRole().get("{CellBroadcastRole}"));
        assertEquals(Set.of(), global.managedPoliciesOf("{CellBroadcastRole}"));
    }

    @Test
    void theCrossCellMachineIsStandardNamedAndInvokesOnlyTheCellBroadcastAlias() {
        template("WsfanoutGlobal").hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                "StateMachineName", CellsWorkflow.STATE_MACHINE_NAME,
                "StateMachineType", "STANDARD",
                "LoggingConfiguration", Match.objectLike(Map.of("Level", "ERROR", "IncludeExecutionData", false)),
                "TracingConfiguration", Map.of("Enabled", false))));
        assertEquals(Set.of("lambda:InvokeFunction on {CellBroadcastAlias}"), global().permissionsByRole()
                .get("{CellsRole}").stream().filter(line -> !line.startsWith("logs:")).collect(Collectors.toSet()));
    }

    /** The definition as deployed: the staged asset with CloudFormation's DefinitionSubstitutions applied. */
    @Test
    void theCrossCellDefinitionHasEveryPlaceholderFilled() throws IOException {
        Map<String, Object> props = TemplateView.map(global().ofType("AWS::StepFunctions::StateMachine").get(0)
                .get("Properties"));
        String key = TemplateView.map(props.get("DefinitionS3Location")).get("Key").toString();
        String definition = Files.readString(assembly.resolve("asset." + key));
        Map<String, String> values = new HashMap<>();
        TemplateView.map(props.get("DefinitionSubstitutions")).forEach((name, value) ->
                values.put(name, TemplateView.render(value)));
        assertEquals(Map.of(CellsDefinitionSubstitutions.CELL_BROADCAST_FUNCTION_ARN, "{CellBroadcastAlias}",
                CellsDefinitionSubstitutions.CELL_WAIT_SECONDS,
                Integer.toString(CellsDefinitionSubstitutions.DEFAULT_CELL_WAIT_SECONDS)), values);
        String filled = DefinitionSubstitutions.apply(definition, values);
        assertFalse(filled.contains("${"), filled);
        new ObjectMapper().readTree(filled);
    }

    @Test
    void theGlobalStackOutputsTheCrossCellMachinesArn() {
        template("WsfanoutGlobal").hasOutput(CellDirectory.CROSS_CELL_OUTPUT, Match.objectLike(Map.of(
                "Value", Map.of("Ref", Match.stringLikeRegexp("^CellsStateMachine[0-9A-F]{8}$")))));
    }

    @Test
    void cellWaitSecondsSetsTheWaitAndTheFunctionsTimeout() {
        App waiting = StackUnderTest.appFromContext(context(Map.of(DeployContext.CELLS, "111111111111/eu-west-1",
                DeployContext.HOME_ACCOUNT, HOME_ACCOUNT, DeployContext.HOME_REGION, HOME_REGION,
                DeployContext.CELL_WAIT_SECONDS, "120")), Map.of());
        Template global = Template.fromStack(stack(waiting, "WsfanoutGlobal"));
        global.hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                "DefinitionSubstitutions", Match.objectLike(Map.of(CellsDefinitionSubstitutions.CELL_WAIT_SECONDS, "120")))));
        global.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", GlobalFunction.CELL_BROADCAST.handler(), "Timeout", 150)));
    }

    @Test
    void cellWaitSecondsOutOfRangeIsRefused() {
        for (String seconds : List.of("9", "601")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackUnderTest.appFromContext(
                    context(Map.of(DeployContext.CELLS, "111111111111/eu-west-1", DeployContext.HOME_ACCOUNT, HOME_ACCOUNT,
                            DeployContext.HOME_REGION, HOME_REGION, DeployContext.CELL_WAIT_SECONDS, seconds)), Map.of()));
            assertTrue(e.getMessage().contains("cellWaitSeconds=" + seconds + " is out of range; allowed: 10..600"),
                    e.getMessage());
        }
    }

    @Test
    void withoutCellsTheAppHasExactlyTheSingleStackAsBefore() {
        App single = StackUnderTest.appFromContext(context(Map.of()), Map.of());
        List<Stack> stacks = stacks(single);
        assertEquals(List.of("Wsfanout"), stacks.stream().map(Stack::getStackName).toList());
        Template template = Template.fromStack(stacks.get(0));
        template.resourceCountIs("AWS::IAM::Role", 10);
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                "StateMachineName", Match.absent())));
        assertTrue(Token.isUnresolved(stacks.get(0).getRegion()), "environment-agnostic");
    }

    @Test
    void aBadCellsValueNamesTheEntryAndTheForm() {
        Map<String, String> wrong = Map.of(
                "111111111111/eu-west-1,eu-west-1", "cells: 'eu-west-1' is not account/region",
                "11111/eu-west-1", "cell account 11111 is not a 12-digit AWS account id",
                "111111111111/europe", "cell Region europe is not an AWS Region name",
                "111111111111/eu-west-1,111111111111/eu-west-1", "cell 111111111111/eu-west-1 is listed twice");
        wrong.forEach((cells, problem) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackUnderTest.appFromContext(
                    context(Map.of(DeployContext.CELLS, cells, DeployContext.HOME_ACCOUNT, HOME_ACCOUNT,
                            DeployContext.HOME_REGION, HOME_REGION)), Map.of()));
            assertTrue(e.getMessage().startsWith("bad context value 'cells': "), e.getMessage());
            assertTrue(e.getMessage().contains(problem), e.getMessage());
            assertTrue(e.getMessage().contains("-c cells=<account>/<region>,<account>/<region>,..."), e.getMessage());
        });
    }

    @Test
    void theHomeComesFromTheContextElseTheProfileElseTheErrorSaysHowToGiveIt() {
        Map<String, String> cellsOnly = context(Map.of(DeployContext.CELLS, "111111111111/eu-west-1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackUnderTest.appFromContext(cellsOnly, Map.of()));
        assertTrue(e.getMessage().contains("pass -c homeAccount=<12-digit account> -c homeRegion=<region>"),
                e.getMessage());

        App fromProfile = StackUnderTest.appFromContext(cellsOnly,
                Map.of(Home.CDK_DEFAULT_ACCOUNT, "444444444444", Home.CDK_DEFAULT_REGION, "ap-south-1"));
        Stack global = stack(fromProfile, "WsfanoutGlobal");
        assertEquals(List.of("444444444444", "ap-south-1"), List.of(global.getAccount(), global.getRegion()));

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> StackUnderTest.appFromContext(
                context(Map.of(DeployContext.CELLS, "111111111111/eu-west-1", DeployContext.HOME_ACCOUNT, "3333",
                        DeployContext.HOME_REGION, HOME_REGION)), Map.of()));
        assertTrue(bad.getMessage().startsWith("bad home account and Region (-c homeAccount, -c homeRegion): "),
                bad.getMessage());
        assertTrue(bad.getMessage().contains("3333"), bad.getMessage());
    }

    @Test
    void theKeysOfCellsAreRefusedWithoutCellsAndStackNameWithThem() {
        for (String key : DeployContext.CELLS_ONLY_KEYS) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StackUnderTest.appFromContext(context(Map.of(key, "60")), Map.of()));
            assertTrue(e.getMessage().contains("[" + key + "] apply only to a deployment of cells"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackUnderTest.appFromContext(
                context(Map.of(DeployContext.CELLS, "111111111111/eu-west-1", DeployContext.HOME_ACCOUNT, HOME_ACCOUNT,
                        DeployContext.HOME_REGION, HOME_REGION, DeployContext.STACK_NAME, "Mine")), Map.of()));
        assertTrue(e.getMessage().contains("names its stacks Wsfanout-<account>-<region> and WsfanoutGlobal"),
                e.getMessage());
    }

    /** CELLS holds every cell's JSON; the synth refuses a list that would not fit Lambda's 4 KB. */
    @Test
    void tooManyCellsForTheFunctionsEnvironmentAreRefusedAtSynth() {
        StringBuilder cells = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            cells.append(i == 0 ? "" : ",").append(String.format("%012d", 100_000_000_000L + i)).append("/ap-southeast-1");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackUnderTest.appFromContext(
                context(Map.of(DeployContext.CELLS, cells.toString(), DeployContext.HOME_ACCOUNT, HOME_ACCOUNT,
                        DeployContext.HOME_REGION, HOME_REGION)), Map.of()));
        assertTrue(e.getMessage().contains("the cellBroadcast function's environment would take up to"), e.getMessage());
        assertTrue(e.getMessage().contains("CELLS lists all 30 cells"), e.getMessage());
    }

    /**
     * Each cell's status calls write into the cross-cell execution's one history: a day of deadline
     * (with the cells' own polls slow enough for theirs) at 10 s calls is refused at synth.
     */
    @Test
    void aCrossCellHistoryOverTheBudgetIsRefusedAtSynth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StackUnderTest.appFromContext(
                context(Map.of(DeployContext.CELLS, CELLS, DeployContext.HOME_ACCOUNT, HOME_ACCOUNT,
                        DeployContext.HOME_REGION, HOME_REGION, "deliveryDeadlineSeconds", "86400",
                        "pollIntervalSeconds", "33", DeployContext.CELL_WAIT_SECONDS, "10")), Map.of()));
        assertTrue(e.getMessage().startsWith("3 cells with deliveryDeadlineSeconds=86400 and cellWaitSeconds=10: "
                + "the cross-cell state machine may make up to 8,642 status calls a cell"), e.getMessage());
        assertTrue(e.getMessage().contains("a Standard execution fails at 25,000 events"), e.getMessage());
        assertTrue(e.getMessage().contains("set cellWaitSeconds to at least 76, or set deliveryDeadlineSeconds to "
                + "at most 11,389"), e.getMessage());
    }

    /**
     * Eighteen cells at the defaults: within the history budget (CrossCellHistoryBudget allows 257) and,
     * in Regions with nine-character names, the cellBroadcast function's environment, which is what
     * bounds the cells (sixteen in the longest Region names).
     */
    @Test
    void eighteenCellsAtTheDefaultsBuild() {
        StringBuilder cells = new StringBuilder();
        for (int i = 0; i < 18; i++) {
            cells.append(i == 0 ? "" : ",").append(String.format("%012d", 100_000_000_000L + i)).append("/eu-west-1");
        }
        App eighteen = StackUnderTest.appFromContext(context(Map.of(DeployContext.CELLS, cells.toString(),
                DeployContext.HOME_ACCOUNT, HOME_ACCOUNT, DeployContext.HOME_REGION, HOME_REGION)), Map.of());
        assertEquals(19, stacks(eighteen).size());
    }

    /** The stand-in jar, as every test of the app passes it. */
    private static Map<String, String> context(Map<String, String> values) {
        Map<String, String> context = new HashMap<>(values);
        context.put(DeployContext.HANDLERS_JAR, handlersJar.toString());
        return context;
    }

    private static List<Stack> stacks(App app) {
        return app.getNode().getChildren().stream().filter(Stack.class::isInstance).map(Stack.class::cast).toList();
    }

    private static Stack stack(App app, String name) {
        return stacks(app).stream().filter(s -> s.getStackName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no stack " + name));
    }

    private static Template template(String stackName) {
        return TEMPLATES.get(stackName);
    }

    private static TemplateView view(String stackName) {
        return new TemplateView(template(stackName).toJSON());
    }

    private static TemplateView global() {
        return view("WsfanoutGlobal");
    }

    private static Map<String, Object> cellAccessRole(List<String> cell) {
        return view(cell.get(2)).resource("CellAccessRole");
    }
}
