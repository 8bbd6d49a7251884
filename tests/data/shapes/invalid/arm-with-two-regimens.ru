# An arm assigned two regimens.
# expect: Violation ekgsh:StudyArmShape kg:ember3-arm-imlunestrant-abemaciclib
INSERT DATA {
    kg:ember3-arm-imlunestrant-abemaciclib ekg:receivesRegimen kg:regimen-imlunestrant-monotherapy .
}
