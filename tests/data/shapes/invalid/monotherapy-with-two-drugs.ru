# A monotherapy of two drugs.
# expect: Violation ekgsh:MonotherapyShape kg:regimen-imlunestrant-monotherapy
INSERT DATA {
    kg:regimen-imlunestrant-monotherapy ekg:hasComponent kg:drug-abemaciclib .
}
