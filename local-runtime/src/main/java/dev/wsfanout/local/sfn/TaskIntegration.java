package dev.wsfanout.local.sfn;

/** Runs one Task state call against a service and returns the task result (JSON value). */
interface TaskIntegration {

    /**
     * @param arguments the evaluated Parameters/Arguments
     * @throws StatesError the task failure, named as Step Functions names it (e.g. "Lambda.ResourceNotFoundException")
     */
    Object call(TaskResource resource, Object arguments);
}
