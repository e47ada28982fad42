package dev.wsfanout.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cells one cross-cell broadcast reaches (docs/cells.md): each cell is one wsfanout deployment
 * in one account and Region, started through a role the cell trusts the home account's
 * cellBroadcast function with. Its JSON form is the cellBroadcast function's {@link #ENV} variable,
 * which the CDK's global stack and the local cells both write; the names of the cell's parts are
 * fixed here so the home account can name them without a cross-account reference.
 */
public record CellDirectory(List<Cell> cells) {

    /** The cellBroadcast function's variable holding {@link #toJson()}. */
    public static final String ENV = "CELLS";
    /** Every cell's broadcast state machine has this name (state machines are per Region). */
    public static final String CELL_STATE_MACHINE_NAME = "wsfanout-broadcast";
    /** The home's cross-cell state machine (statemachine/cells.asl.json). */
    public static final String CROSS_CELL_STATE_MACHINE_NAME = "wsfanout-cells";
    /** The global stack's output holding its ARN, which {@code wsfanout send --aws --cells} reads from cdk-outputs.json. */
    public static final String CROSS_CELL_OUTPUT = "CellsStateMachineArn";
    private static final String CELL_ACCESS_ROLE_PREFIX = "wsfanout-cell-access-";
    private static final String CELL_BROADCAST_ROLE_PREFIX = "wsfanout-cell-broadcast-";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    /**
     * One cell.
     *
     * @param roleArn  assumed to call the cell's Step Functions; null when the caller's own
     *                 credentials reach it (the local cells)
     * @param endpoint the cell's Step Functions endpoint; null for AWS's in {@code region}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cell(String name, String region, String stateMachineArn, String roleArn, String endpoint) {
        public Cell {
            require(name != null && !name.isBlank(), "a cell needs a name");
            require(region != null && REGION.matcher(region).matches(), "cell " + name + ": region " + region + " is not an AWS Region name such as eu-west-1");
            require(stateMachineArn != null && stateMachineArn.startsWith("arn:"), "cell " + name + ": stateMachineArn " + stateMachineArn + " is not an ARN");
        }

        /** The cell an account and Region hold when deployed by the CDK app: name {@code account/region}. */
        public static Cell deployed(String account, String region) {
            require(account != null && ACCOUNT.matcher(account).matches(), "cell account " + account + " is not a 12-digit AWS account id");
            require(region != null && REGION.matcher(region).matches(), "cell Region " + region + " is not an AWS Region name such as eu-west-1");
            return new Cell(account + "/" + region, region,
                    "arn:aws:states:" + region + ":" + account + ":stateMachine:" + CELL_STATE_MACHINE_NAME,
                    "arn:aws:iam::" + account + ":role/" + cellAccessRoleName(region), null);
        }
    }

    public CellDirectory {
        require(cells != null && !cells.isEmpty(), "a cell directory needs at least one cell");
        cells = List.copyOf(cells);
        Map<String, Cell> byName = new LinkedHashMap<>();
        for (Cell cell : cells) {
            require(byName.put(cell.name(), cell) == null, "cell " + cell.name() + " is listed twice");
        }
    }

    /**
     * Parses {@code account/region,account/region,...}, the CDK app's {@code -c cells=} value.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code account/region}
     */
    public static CellDirectory parseDeployed(String list) {
        List<Cell> cells = new ArrayList<>();
        for (String entry : list.split(",")) {
            String trimmed = entry.trim();
            int slash = trimmed.indexOf('/');
            require(slash > 0, "cells: '" + trimmed + "' is not account/region (e.g. 111111111111/eu-west-1)");
            cells.add(Cell.deployed(trimmed.substring(0, slash), trimmed.substring(slash + 1)));
        }
        return new CellDirectory(cells);
    }

    public static CellDirectory fromJson(String json) {
        try {
            return new CellDirectory(JsonCodec.mapper().readValue(json, new TypeReference<List<Cell>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(ENV + " is not a JSON list of cells {name, region, stateMachineArn[, roleArn, endpoint]}: "
                    + e.getOriginalMessage());
        }
    }

    public String toJson() {
        return JsonCodec.write(cells);
    }

    public Cell cell(String name) {
        for (Cell cell : cells) {
            if (cell.name().equals(name)) {
                return cell;
            }
        }
        throw new IllegalArgumentException("no cell " + name + "; the cells are " + names());
    }

    /** The named cells in the directory's order; all of them when {@code names} is empty. */
    public List<Cell> select(List<String> names) {
        if (names.isEmpty()) {
            return cells;
        }
        List<Cell> chosen = new ArrayList<>();
        for (String name : names) {
            chosen.add(cell(name));
        }
        return chosen;
    }

    public List<String> names() {
        return cells.stream().map(Cell::name).toList();
    }

    /** The role a cell account creates for the home account (IAM names are per account, so per Region). */
    public static String cellAccessRoleName(String cellRegion) {
        return CELL_ACCESS_ROLE_PREFIX + cellRegion;
    }

    /** The home cellBroadcast function's role, the only principal the cells' roles trust. */
    public static String cellBroadcastRoleName(String homeRegion) {
        return CELL_BROADCAST_ROLE_PREFIX + homeRegion;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
