package dev.wsfanout.local.sfn;

/** The two query languages a state machine or a single state can use. */
enum QueryLanguage {
    JSONPATH("JSONPath"), JSONATA("JSONata");

    private final String aslName;

    QueryLanguage(String aslName) {
        this.aslName = aslName;
    }

    String aslName() {
        return aslName;
    }

    /** The language named by a QueryLanguage field; {@code inherited} when the field is absent. */
    static QueryLanguage of(Object field, QueryLanguage inherited) {
        if (field == null) {
            return inherited;
        }
        for (QueryLanguage language : values()) {
            if (language.aslName.equals(field)) {
                return language;
            }
        }
        throw new IllegalArgumentException("QueryLanguage must be JSONPath or JSONata, was " + field);
    }
}
