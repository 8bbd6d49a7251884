# A combination regimen of a single drug.
# expect: Violation ekgsh:CombinationRegimenShape kg:regimen-imlunestrant-plus-abemaciclib
DELETE DATA { kg:regimen-imlunestrant-plus-abemaciclib ekg:hasComponent kg:drug-abemaciclib }
