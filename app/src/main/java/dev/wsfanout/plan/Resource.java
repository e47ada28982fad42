package dev.wsfanout.plan;

import java.util.Optional;

/**
 * The resources that can hold a broadcast back, from the last stage of the pipeline to the first.
 * At each instant the simulation blames the first one in this order that is saturated: a full API
 * Gateway bucket makes a full Lambda account irrelevant, and so on upstream. {@link #raise} gives the
 * parameters with that resource doubled, or nothing when it is not something a user can raise.
 */
public enum Resource {
    API_GATEWAY_THROTTLE("API Gateway account throttle (RPS, burst)", "API Gateway RPS",
            "ask AWS to raise the account throttle quota (L-8A5B8E43), or spread connections over accounts") {
        @Override
        Optional<SimulationParameters> raise(SimulationParameters p) {
            return Optional.of(p.toBuilder().rps(p.rps() * 2).burst(p.burst() * 2).build());
        }

        @Override
        String setting(SimulationParameters p) {
            return "--rps " + whole(p.rps()) + " --burst " + p.burst();
        }
    },
    LAMBDA_CONCURRENCY("Lambda account concurrency", "Lambda concurrency",
            "ask AWS to raise the Region's Lambda concurrent executions quota") {
        @Override
        Optional<SimulationParameters> raise(SimulationParameters p) {
            return Optional.of(p.toBuilder().lambdaConcurrency(p.lambdaConcurrency() * 2).build());
        }

        @Override
        String setting(SimulationParameters p) {
            return "--lambda-concurrency " + p.lambdaConcurrency();
        }
    },
    POST_PACING("postMessage pacing per invocation (POST_RATE, POST_CONCURRENCY, rate governor)", "post pacing",
            "raise POST_RATE and POST_CONCURRENCY, or the mappings' maximum concurrency") {
        @Override
        Optional<SimulationParameters> raise(SimulationParameters p) {
            if (p.postRate() * 2 > 100_000 || p.postConcurrency() * 2 > 2000) {
                return Optional.empty();
            }
            return Optional.of(p.toBuilder().postRate(p.postRate() * 2).postConcurrency(p.postConcurrency() * 2).build());
        }

        @Override
        String setting(SimulationParameters p) {
            return "--post-rate " + whole(p.postRate()) + " --post-concurrency " + p.postConcurrency();
        }
    },
    MAPPING_MAX_CONCURRENCY("SQS event source mapping maximum concurrency", "mapping max concurrency",
            "raise the mappings' ScalingConfig.MaximumConcurrency (at most 1,000), or add shards") {
        @Override
        Optional<SimulationParameters> raise(SimulationParameters p) {
            int raised = Math.min(p.esmMaxConcurrency(), p.mappingMaxConcurrency() * 2);
            return raised == p.mappingMaxConcurrency()
                    ? Optional.empty()
                    : Optional.of(p.toBuilder().mappingMaxConcurrency(raised).build());
        }

        @Override
        String setting(SimulationParameters p) {
            return "--mapping-max-concurrency " + p.mappingMaxConcurrency();
        }
    },
    ESM_SCALE_UP("SQS event source scale-up (5 batches, +300 per minute, per mapping)", "SQS scale-up",
            "fixed by AWS: add shards (each mapping ramps on its own) or use provisioned pollers") {
        @Override
        Optional<SimulationParameters> raise(SimulationParameters p) {
            return Optional.empty();
        }
    },
    FAILED_BATCH_REDRIVE("failed batches waiting out the SQS visibility timeout", "failed-batch redrive",
            "pace posts and report partial batch failures (as wsfanout does), or shorten the visibility timeout") {
        @Override
        Optional<SimulationParameters> raise(SimulationParameters p) {
            return Optional.empty();
        }
    },
    MAP_CONCURRENCY("Distributed Map MaxConcurrency", "Map MaxConcurrency",
            "raise MapMaxConcurrency (at most 10,000)") {
        @Override
        Optional<SimulationParameters> raise(SimulationParameters p) {
            int raised = Math.min(10_000, p.mapConcurrency() * 2);
            return raised == p.mapConcurrency()
                    ? Optional.empty()
                    : Optional.of(p.toBuilder().mapConcurrency(raised).build());
        }

        @Override
        String setting(SimulationParameters p) {
            return "--map-concurrency " + p.mapConcurrency();
        }
    },
    MAP_START_RATE("Distributed Map child start rate", "Map start rate",
            "not a quota you can raise: use bigger batches (fewer children)") {
        @Override
        Optional<SimulationParameters> raise(SimulationParameters p) {
            return Optional.empty();
        }
    },
    PIPELINE_LATENCY("pipeline latency (no quota saturated)", "latency",
            "nothing to raise: time goes to cold starts, DynamoDB, SQS and completion polling") {
        @Override
        Optional<SimulationParameters> raise(SimulationParameters p) {
            return Optional.empty();
        }
    };

    private final String label;
    private final String shortLabel;
    private final String advice;

    Resource(String label, String shortLabel, String advice) {
        this.label = label;
        this.shortLabel = shortLabel;
        this.advice = advice;
    }

    public String label() {
        return label;
    }

    public String shortLabel() {
        return shortLabel;
    }

    public String advice() {
        return advice;
    }

    abstract Optional<SimulationParameters> raise(SimulationParameters parameters);

    /** The options that set this resource, with their values in {@code parameters}; empty if none does. */
    String setting(SimulationParameters parameters) {
        return "";
    }

    private static String whole(double value) {
        return Long.toString(Math.round(value));
    }
}
