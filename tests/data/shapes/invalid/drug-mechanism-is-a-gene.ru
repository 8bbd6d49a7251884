# A drug whose mechanism of action is a gene.
# expect: Violation ekgsh:DrugShape kg:drug-abemaciclib
INSERT DATA {
    kg:drug-abemaciclib ekg:hasMechanismOfAction kg:gene-cdk4 .
}
