# A drug derived from a node that is not a known source document.
# expect: Violation ekgsh:ProvenanceShape kg:drug-abemaciclib
INSERT DATA {
    kg:drug-abemaciclib prov:wasDerivedFrom kg:no-such-document .
}
