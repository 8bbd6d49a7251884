# A population its trial does not list.
# expect: Violation ekgsh:PopulationInItsTrialShape kg:ember3-pop-ae-reporting
DELETE DATA { kg:ember3 ekg:hasPopulation kg:ember3-pop-ae-reporting }
