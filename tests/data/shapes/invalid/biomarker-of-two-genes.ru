# A biomarker tied to two genes.
# expect: Violation ekgsh:BiomarkerShape kg:biomarker-esr1-mutation
INSERT DATA {
    kg:biomarker-esr1-mutation ekg:biomarkerOfGene kg:gene-pgr .
}
