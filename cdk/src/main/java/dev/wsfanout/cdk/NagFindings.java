package dev.wsfanout.cdk;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;

/** How cdk-nag names the resources of its findings, for {@code appliesTo} patterns that match exactly one. */
final class NagFindings {

    private NagFindings() {
    }

    /**
     * The {@code <region>:<account>} of a stack's own ARNs as a finding writes them: the pseudo
     * parameters of an environment-agnostic stack, the literals of a cell's (no regex
     * metacharacters in either).
     */
    static String regionAndAccount(Stack stack) {
        return part(stack.getRegion(), "<AWS::Region>") + ":" + part(stack.getAccount(), "<AWS::AccountId>");
    }

    private static String part(String value, String pseudoParameter) {
        return Token.isUnresolved(value) ? pseudoParameter : value;
    }
}
