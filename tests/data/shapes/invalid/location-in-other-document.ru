# A gene stated in a location of a document it is not derived from.
# expect: Violation ekgsh:LocationInSourceDocumentShape kg:gene-cdk6
INSERT DATA {
    kg:gene-cdk6 ekg:statedIn kg:loc-lilly-figure-1 .
}
