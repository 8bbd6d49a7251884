# A location that claims to cite a gene instead of a document.
# expect: Violation ekgsh:SourceLocationShape kg:loc-lilly-figure-3
INSERT DATA {
    kg:loc-lilly-figure-3 ekg:locationCites kg:gene-esr1 .
}
