package dev.wsfanout.cdk;

import java.util.Map;
import java.util.Optional;

import dev.wsfanout.model.CellDirectory;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Environment;

/**
 * The home account and Region of a deployment of cells (docs/cells.md): where the global stack and
 * its cellBroadcast role live, the one principal every cell's access role trusts.
 */
public record Home(String account, String region) {

    /** What the CDK CLI sets from the profile's credentials; absent when synth runs without any. */
    static final String CDK_DEFAULT_ACCOUNT = "CDK_DEFAULT_ACCOUNT";
    static final String CDK_DEFAULT_REGION = "CDK_DEFAULT_REGION";

    public Home {
        try {
            // The same account and Region checks as a cell's.
            CellDirectory.Cell.deployed(account, region);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad home account and Region (-c " + DeployContext.HOME_ACCOUNT
                    + ", -c " + DeployContext.HOME_REGION + "): " + e.getMessage(), e);
        }
    }

    /**
     * {@code -c homeAccount} and {@code -c homeRegion}, each falling back to the CLI profile's
     * (CDK_DEFAULT_ACCOUNT, CDK_DEFAULT_REGION), so a synth without credentials names both.
     */
    static Home of(DeployContext context, Map<String, String> environment) {
        Optional<String> account = context.string(DeployContext.HOME_ACCOUNT)
                .or(() -> Optional.ofNullable(environment.get(CDK_DEFAULT_ACCOUNT)));
        Optional<String> region = context.string(DeployContext.HOME_REGION)
                .or(() -> Optional.ofNullable(environment.get(CDK_DEFAULT_REGION)));
        if (account.isEmpty() || region.isEmpty()) {
            throw new IllegalArgumentException("a deployment of cells needs its home account and Region (where "
                    + "the global stack goes), and no AWS profile gives them here: pass -c "
                    + DeployContext.HOME_ACCOUNT + "=<12-digit account> -c " + DeployContext.HOME_REGION
                    + "=<region>");
        }
        return new Home(account.get(), region.get());
    }

    public Environment environment() {
        return Environment.builder().account(account).region(region).build();
    }

    /** The cellBroadcast function's role: a fixed name, so the cells can trust it before it exists. */
    public String cellBroadcastRoleName() {
        return CellDirectory.cellBroadcastRoleName(region);
    }

    public String cellBroadcastRoleArn() {
        return Arn.format(ArnComponents.builder()
                .partition(Aws.PARTITION)
                .service("iam")
                .region("")
                .account(account)
                .resource("role")
                .resourceName(cellBroadcastRoleName())
                .build());
    }
}
