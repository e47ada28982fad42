package dev.wsfanout.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * One Distributed Map child's input as the ItemBatcher builds it:
 * {@code {"Items":[p1..p10],"BatchInput":{"broadcastId":..,"message":..}}}.
 */
public record PartitionBatch(
        @JsonProperty("Items") List<Integer> items,
        @JsonProperty("BatchInput") BatchInput batchInput) {

    @JsonCreator
    public PartitionBatch(@JsonProperty(value = "Items", required = true) List<Integer> items,
                          @JsonProperty(value = "BatchInput", required = true) BatchInput batchInput) {
        Objects.requireNonNull(items, "Items");
        Objects.requireNonNull(batchInput, "BatchInput");
        for (Integer p : items) {
            if (p == null || p < 1) {
                throw new IllegalArgumentException("Items must hold partition ids >= 1, found " + p);
            }
        }
        this.items = List.copyOf(items);
        this.batchInput = batchInput;
    }
}
